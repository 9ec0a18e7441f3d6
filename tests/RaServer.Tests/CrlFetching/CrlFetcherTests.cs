using Microsoft.Extensions.DependencyInjection;
using RaServer.Domain;
using RaServer.Hosting;
using RaServer.Policy;
using RaServer.Storage;
using RaServer.Trust;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;

namespace RaServer.Tests.CrlFetching;

/// <summary>The download itself: conditional requests, the size cap, and what counts as a CRL on the wire.</summary>
public sealed class CrlFetcherTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task An_unchanged_embedded_ca_crl_is_answered_with_not_modified_and_a_changed_one_is_downloaded_again()
    {
        await using var server = await RaServerHarness.StartAsync(postgres);
        var fetcher = server.Services.GetRequiredService<CrlFetcher>();
        var url = server.Services.GetRequiredService<CustomsCaCrlSource>().CrlUrl();

        var first = await fetcher.FetchAsync(url, etag: null, Timeout, 1_000_000, CancellationToken.None);
        Assert.NotNull(first.Der);
        Assert.NotNull(first.ETag);

        var unchanged = await fetcher.FetchAsync(url, first.ETag, Timeout, 1_000_000, CancellationToken.None);
        Assert.Null(unchanged.Der);

        await server.Services.GetRequiredService<global::EmbeddedCa.EmbeddedCertificateAuthority>().PublishCrlAsync();
        var changed = await fetcher.FetchAsync(url, first.ETag, Timeout, 1_000_000, CancellationToken.None);
        Assert.NotNull(changed.Der);
        Assert.NotEqual(first.ETag, changed.ETag);
    }

    [Fact]
    public async Task A_download_larger_than_the_cap_is_refused()
    {
        await using var source = await CrlHttpSource.StartAsync();
        source.Serve(new byte[4096]);
        var fetcher = Fetcher();

        var refusal = await Assert.ThrowsAsync<CrlFetchException>(() => fetcher.FetchAsync(source.Url, null, Timeout, 1024, CancellationToken.None));
        Assert.Contains("1024", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pem_crl_is_decoded_and_a_body_that_is_neither_der_nor_pem_is_refused()
    {
        var der = await MoeacaCrls.CreateAsync(MoeacaCrls.NextNumber(), DateTimeOffset.UtcNow, TimeSpan.FromDays(1));
        await using var source = await CrlHttpSource.StartAsync();
        var fetcher = Fetcher();

        source.ServePem(der);
        Assert.Equal(der, (await fetcher.FetchAsync(source.Url, null, Timeout, 1_000_000, CancellationToken.None)).Der);

        source.Serve("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"u8.ToArray());
        await Assert.ThrowsAsync<CrlFetchException>(() => fetcher.FetchAsync(source.Url, null, Timeout, 1_000_000, CancellationToken.None));
    }

    /// <summary>The fetcher as the server registers it, without a server around it.</summary>
    private static CrlFetcher Fetcher() => new ServiceCollection().AddCrlFetcher().BuildServiceProvider().GetRequiredService<CrlFetcher>();
}
