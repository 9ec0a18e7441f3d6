using System.Numerics;
using System.Security.Cryptography.X509Certificates;
using Customs.Ra.V1;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Ra.Client.Signing;
using RaServer.Domain;
using RaServer.Hosting;
using RaServer.Policy;
using RaServer.Storage;
using RaServer.Trust;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;

namespace RaServer.Tests.CrlFetching;

/// <summary>The trust anchors' CRLs downloaded over HTTP (Trust:CrlUrls) decide which signers the RA accepts.</summary>
public sealed class TrustCrlFetchingTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static ListApplicationsPayload CompanyListing() =>
        new() { Header = RequestSigner.OrganizationHeader("04595252", "測試報關股份有限公司") };

    private static Task<RaServerHarness> StartAsync(PostgresFixture postgres, params Uri[] crlUrls) =>
        RaServerHarness.StartAsync(postgres, configure: settings =>
        {
            for (var i = 0; i < crlUrls.Length; i++)
                settings[$"Trust:CrlUrls:{i}"] = crlUrls[i].AbsoluteUri;
            settings["Trust:CrlFetchTimeout"] = "00:00:01";
        });

    private static Task<ListApplicationsResponse> ListAsync(RaServerHarness server, X509Certificate2 signer) =>
        new RegistrationAuthority.RegistrationAuthorityClient(server.Channel())
            .ListApplicationsAsync(new ListApplicationsRequest { Envelope = new RequestSigner(signer, server.Clock).Sign(CompanyListing()) }).ResponseAsync;

    private static Task RefreshAsync(RaServerHarness server) =>
        server.Services.GetRequiredService<TrustCrlKeeper>().RefreshAsync(CancellationToken.None);

    private static async Task<BigInteger?> HeldMoeacaCrlNumberAsync(RaServerHarness server) =>
        server.Services.GetRequiredService<CrlStore>().Status(await MoeacaCrls.KeyIdAsync())?.CrlNumber;

    [Fact]
    public async Task A_newer_moeaca_crl_served_over_http_is_fetched_and_makes_a_revoked_signers_request_fail()
    {
        await using var source = await CrlHttpSource.StartAsync();
        await using var server = await StartAsync(postgres, source.Url);
        var signer = await MoeacaCrls.CompanyCertificateAsync();
        await ListAsync(server, signer);

        var number = MoeacaCrls.NextNumber();
        source.Serve(await MoeacaCrls.CreateAsync(number, server.Clock.GetUtcNow(), TimeSpan.FromDays(1), signer));
        await RefreshAsync(server);

        await RpcAssert.RefusedAsync(StatusCode.Unauthenticated, "SIGNER_CERT_REVOKED", () => ListAsync(server, signer));
        Assert.Equal(number, await HeldMoeacaCrlNumberAsync(server));
        await using var connection = new Npgsql.NpgsqlConnection(server.ConnectionString);
        var saved = await Dapper.SqlMapper.ExecuteScalarAsync<string>(connection,
            "SELECT crl_number::text FROM crls WHERE issuer_key_id = @keyId", new { keyId = await MoeacaCrls.KeyIdAsync() });
        Assert.Equal(number.ToString(System.Globalization.CultureInfo.InvariantCulture), saved);
    }

    [Fact]
    public async Task A_pem_crl_served_over_http_is_taken_like_a_der_one()
    {
        await using var source = await CrlHttpSource.StartAsync();
        await using var server = await StartAsync(postgres, source.Url);
        var signer = await MoeacaCrls.CompanyCertificateAsync();

        source.ServePem(await MoeacaCrls.CreateAsync(MoeacaCrls.NextNumber(), server.Clock.GetUtcNow(), TimeSpan.FromDays(1), signer));
        await RefreshAsync(server);

        await RpcAssert.RefusedAsync(StatusCode.Unauthenticated, "SIGNER_CERT_REVOKED", () => ListAsync(server, signer));
    }

    [Fact]
    public async Task An_older_numbered_or_badly_signed_or_garbage_crl_served_later_is_refused_and_the_held_one_stays()
    {
        await using var source = await CrlHttpSource.StartAsync();
        var signer = await MoeacaCrls.CompanyCertificateAsync();
        var number = MoeacaCrls.NextNumber();
        var now = DateTimeOffset.UtcNow;
        source.Serve(await MoeacaCrls.CreateAsync(number, now, TimeSpan.FromDays(1), signer));
        await using var server = await StartAsync(postgres, source.Url);
        Assert.Equal(number, await HeldMoeacaCrlNumberAsync(server));

        // An older list without the revocation: taking it would un-revoke the signer.
        source.Serve(await MoeacaCrls.CreateAsync(number - 1, now, TimeSpan.FromDays(2)));
        await RefreshAsync(server);
        Assert.Equal(number, await HeldMoeacaCrlNumberAsync(server));

        // A newer number, but the signature no longer matches what was signed.
        var forged = await MoeacaCrls.CreateAsync(number + 1, now, TimeSpan.FromDays(2));
        forged[^1] ^= 0x01;
        source.Serve(forged);
        await RefreshAsync(server);
        Assert.Equal(number, await HeldMoeacaCrlNumberAsync(server));

        source.Serve("<html>maintenance</html>"u8.ToArray(), "text/html");
        await RefreshAsync(server);
        Assert.Equal(number, await HeldMoeacaCrlNumberAsync(server));

        await RpcAssert.RefusedAsync(StatusCode.Unauthenticated, "SIGNER_CERT_REVOKED", () => ListAsync(server, signer));
    }

    [Fact]
    public async Task A_crl_url_that_is_down_answers_5xx_or_times_out_leaves_the_held_crl_in_force()
    {
        await using var source = await CrlHttpSource.StartAsync();
        var signer = await MoeacaCrls.CompanyCertificateAsync();
        var number = MoeacaCrls.NextNumber();
        source.Serve(await MoeacaCrls.CreateAsync(number, DateTimeOffset.UtcNow, TimeSpan.FromDays(1), signer));
        await using var server = await StartAsync(postgres, source.Url, CrlHttpSource.DownUrl);

        source.FailWith(503);
        await RefreshAsync(server);
        Assert.Equal(number, await HeldMoeacaCrlNumberAsync(server));

        source.Hang();
        var round = System.Diagnostics.Stopwatch.StartNew();
        await RefreshAsync(server);
        // Trust:CrlFetchTimeout is one second: a hung URL ends the round soon after, it does not stall it.
        Assert.InRange(round.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(8));
        Assert.Equal(number, await HeldMoeacaCrlNumberAsync(server));

        await RpcAssert.RefusedAsync(StatusCode.Unauthenticated, "SIGNER_CERT_REVOKED", () => ListAsync(server, signer));
    }

    [Fact]
    public async Task Once_the_held_crl_passes_its_next_update_with_the_source_down_signed_requests_are_unavailable()
    {
        await using var source = await CrlHttpSource.StartAsync();
        var signer = await MoeacaCrls.CompanyCertificateAsync();
        source.Serve(await MoeacaCrls.CreateAsync(MoeacaCrls.NextNumber(), DateTimeOffset.UtcNow, TimeSpan.FromHours(1)));
        await using var server = await StartAsync(postgres, source.Url);
        await ListAsync(server, signer);

        await source.StopAsync();
        server.Clock.Advance(TimeSpan.FromMinutes(59));
        await RefreshAsync(server);
        await ListAsync(server, signer); // still inside the held CRL's validity: the outage alone refuses nobody

        server.Clock.Advance(TimeSpan.FromMinutes(2));
        await RefreshAsync(server);
        await RpcAssert.RefusedAsync(StatusCode.Unavailable, "CRL_UNAVAILABLE", () => ListAsync(server, signer));
    }

    [Fact]
    public async Task A_second_replica_whose_crl_url_is_down_starts_with_the_fetched_crl_from_the_crls_table()
    {
        await using var source = await CrlHttpSource.StartAsync();
        var signer = await MoeacaCrls.CompanyCertificateAsync();
        var number = MoeacaCrls.NextNumber();
        source.Serve(await MoeacaCrls.CreateAsync(number, DateTimeOffset.UtcNow, TimeSpan.FromDays(1), signer));
        await using var first = await StartAsync(postgres, source.Url);

        await using var second = await RaServerHarness.StartAsync(postgres, connectionString: first.ConnectionString,
            configure: settings => settings["Trust:CrlUrls:0"] = CrlHttpSource.DownUrl.AbsoluteUri);

        Assert.Equal(number, await HeldMoeacaCrlNumberAsync(second));
        await RpcAssert.RefusedAsync(StatusCode.Unauthenticated, "SIGNER_CERT_REVOKED", () => ListAsync(second, signer));
    }
}
