using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CaConnector;
using EmbeddedCa;
using Microsoft.Extensions.DependencyInjection;
using Ra.DevPki;
using RaServer.Hosting;
using RaServer.Trust;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;

using RaServer.Domain;

namespace RaServer.Tests.CrlFetching;

/// <summary>
/// The customs CA's CRL, downloaded over HTTP into <see cref="CustomsCaCrl"/>: from the embedded CA's own endpoint
/// by default, or from a configured URL and issuer certificate for an external CA.
/// </summary>
public sealed class CustomsCaCrlTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("ra-test-customs-ca-");

    public void Dispose() => folder.Delete(recursive: true);

    private static readonly CertificateProfile Broker = CertificateProfile.Personal("測試報關股份有限公司", "測試人員", "04595252", "6789");

    private static async Task<CaCertificateId> IssueAsync(RaServerHarness server, string requestKey)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CertificateRequest("CN=Applicant", key, HashAlgorithmName.SHA256).CreateSigningRequest();
        var issued = await server.Services.GetRequiredService<EmbeddedCertificateAuthority>().IssueAsync(
            new CaIssueRequest { RequestKey = requestKey, CsrDer = csr, Profile = Broker, ValidityYears = 3 }, CancellationToken.None);
        using var certificate = X509CertificateLoader.LoadCertificate(issued.CertificateDer);
        return CaCertificateId.Of(certificate);
    }

    private static Task FetchRoundAsync(RaServerHarness server) =>
        server.Services.GetRequiredService<CustomsCaCrlKeeper>().RefreshAsync(CancellationToken.None);

    private static CustomsCertificateStatus StatusOf(RaServerHarness server, string serial) =>
        server.Services.GetRequiredService<CustomsCaCrl>().StatusOf(serial);

    [Fact]
    public async Task The_embedded_ca_crl_shows_a_hold_its_release_and_a_revocation_after_a_fetch_round()
    {
        await using var server = await RaServerHarness.StartAsync(postgres);
        var ca = server.Services.GetRequiredService<EmbeddedCertificateAuthority>();
        var certificate = await IssueAsync(server, "crl-fetch-1");
        var serial = certificate.SerialNumberHex;
        var bystander = (await IssueAsync(server, "crl-fetch-2")).SerialNumberHex;

        await FetchRoundAsync(server);
        Assert.Equal(CustomsCertificateStanding.Good, StatusOf(server, serial).Standing);

        await ca.SuspendAsync(certificate, CancellationToken.None);
        await FetchRoundAsync(server);
        var held = StatusOf(server, serial);
        Assert.Equal(CustomsCertificateStanding.OnHold, held.Standing);
        Assert.Equal(RevocationReason.CertificateHold, held.Reason);
        // Callers may write the serial in lower case or with a leading zero byte.
        Assert.Equal(CustomsCertificateStanding.OnHold, StatusOf(server, "00" + serial.ToLowerInvariant()).Standing);
        Assert.Equal(CustomsCertificateStanding.Good, StatusOf(server, bystander).Standing);

        await ca.UnsuspendAsync(certificate, CancellationToken.None);
        await FetchRoundAsync(server);
        Assert.Equal(CustomsCertificateStanding.Good, StatusOf(server, serial).Standing);

        await ca.RevokeAsync(certificate, RevocationReason.KeyCompromise, CancellationToken.None);
        await FetchRoundAsync(server);
        var revoked = StatusOf(server, serial);
        Assert.Equal(CustomsCertificateStanding.Revoked, revoked.Standing);
        Assert.Equal(RevocationReason.KeyCompromise, revoked.Reason);

        var served = await ca.LatestCrlAsync(CancellationToken.None);
        Assert.Equal(served!.CrlNumber, (long)server.Services.GetRequiredService<CustomsCaCrl>().Current!.CrlNumber);
    }

    [Fact]
    public async Task A_second_replica_whose_crl_url_is_down_starts_with_the_customs_ca_crl_from_the_crls_table()
    {
        await using var first = await RaServerHarness.StartAsync(postgres);
        var certificate = await IssueAsync(first, "crl-fetch-3");
        var serial = certificate.SerialNumberHex;
        await first.Services.GetRequiredService<EmbeddedCertificateAuthority>().SuspendAsync(certificate, CancellationToken.None);
        await FetchRoundAsync(first);

        await using var second = await RaServerHarness.StartAsync(postgres, connectionString: first.ConnectionString,
            configure: settings => settings["Ca:CrlUrl"] = CrlHttpSource.DownUrl.AbsoluteUri);

        Assert.Equal(CustomsCertificateStanding.OnHold, StatusOf(second, serial).Standing);
        Assert.Equal(first.Services.GetRequiredService<CustomsCaCrl>().Current!.CrlNumber,
            second.Services.GetRequiredService<CustomsCaCrl>().Current!.CrlNumber);
    }

    [Fact]
    public async Task An_external_ca_crl_signed_by_another_key_or_older_than_the_one_held_is_refused_and_the_held_one_stays()
    {
        using var external = TestCa.CreateRoot("CN=External Customs Issuing CA, O=Test");
        using var impostor = TestCa.CreateRoot("CN=External Customs Issuing CA, O=Test");
        await using var source = await CrlHttpSource.StartAsync();
        await using var server = await StartWithExternalCaAsync(external, source);
        var now = server.Clock.GetUtcNow();
        const string Serial = "4A0B1C2D3E4F";

        source.Serve(external.CreateCrl([new RevokedEntry(Serial, now, X509RevocationReason.CertificateHold)], now, now.AddDays(1), 10));
        await FetchRoundAsync(server);
        Assert.Equal(CustomsCertificateStanding.OnHold, StatusOf(server, Serial).Standing);

        source.Serve(external.CreateCrl([], now, now.AddDays(1), 9));
        await FetchRoundAsync(server);
        source.Serve(impostor.CreateCrl([], now, now.AddDays(1), 11));
        await FetchRoundAsync(server);
        Assert.Equal(CustomsCertificateStanding.OnHold, StatusOf(server, Serial).Standing);
        Assert.Equal(10, server.Services.GetRequiredService<CustomsCaCrl>().Current!.CrlNumber);

        source.Serve(external.CreateCrl([new RevokedEntry(Serial, now, X509RevocationReason.Superseded)], now, now.AddDays(1), 11));
        await FetchRoundAsync(server);
        var revoked = StatusOf(server, Serial);
        Assert.Equal(CustomsCertificateStanding.Revoked, revoked.Standing);
        Assert.Equal(RevocationReason.Superseded, revoked.Reason);
    }

    [Fact]
    public async Task Once_the_customs_ca_crl_passes_its_next_update_with_the_source_down_statuses_are_unknown()
    {
        using var external = TestCa.CreateRoot("CN=External Customs Issuing CA, O=Test");
        await using var source = await CrlHttpSource.StartAsync();
        await using var server = await StartWithExternalCaAsync(external, source);
        var now = server.Clock.GetUtcNow();
        source.Serve(external.CreateCrl([], now, now.AddHours(1), 1));
        await FetchRoundAsync(server);
        Assert.Equal(CustomsCertificateStanding.Good, StatusOf(server, "01").Standing);

        await source.StopAsync();
        server.Clock.Advance(TimeSpan.FromHours(2));
        await FetchRoundAsync(server);

        Assert.Equal(CustomsCertificateStanding.Unknown, StatusOf(server, "01").Standing);
    }

    private async Task<RaServerHarness> StartWithExternalCaAsync(TestCa external, CrlHttpSource source)
    {
        var issuerFile = Path.Combine(folder.FullName, "issuing-ca.pem");
        await File.WriteAllTextAsync(issuerFile, external.CertificatePem());
        return await RaServerHarness.StartAsync(postgres, configure: settings =>
        {
            settings["Ca:CrlUrl"] = source.Url.AbsoluteUri;
            settings["Ca:IssuerCertificatePath"] = issuerFile;
            settings["Ca:CrlRefreshInterval"] = "40.00:00:00"; // rounds only when the test runs one
        });
    }
}
