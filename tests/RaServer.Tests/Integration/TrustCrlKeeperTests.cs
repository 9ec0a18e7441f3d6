using System.Numerics;
using System.Security.Cryptography.X509Certificates;
using Customs.Ra.V1;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Ra.Client.Signing;
using Ra.DevPki;
using RaServer.Domain;
using RaServer.Hosting;
using RaServer.Policy;
using RaServer.Storage;
using RaServer.Trust;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;

namespace RaServer.Tests.Integration;

/// <summary>The RA keeps the trust anchors' CRLs in PostgreSQL, so every replica checks against the newest one.</summary>
public sealed class TrustCrlKeeperTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static ListApplicationsPayload CompanyListing() =>
        new() { Header = RequestSigner.OrganizationHeader("04595252", "測試報關股份有限公司") };

    private static async Task<(X509Certificate2 Leaf, byte[] Crl)> RevokedCompanyCertificateAsync()
    {
        var pki = await SharedDevPki.GetAsync();
        using var moeaca = pki.LoadCa(DevCa.Moeaca);
        var leaf = moeaca.IssueLeaf(new LeafSpec { SubjectDn = "C=TW, O=測試報關股份有限公司", Ubn = "04595252" });
        var now = DateTimeOffset.UtcNow;
        var crl = moeaca.CreateCrl([RevokedEntry.For(leaf, now, X509RevocationReason.KeyCompromise)],
            now.AddMinutes(-1), now.AddDays(1), new BigInteger(now.ToUnixTimeMilliseconds()));
        return (leaf, crl);
    }

    [Fact]
    public async Task A_replica_started_with_older_crl_files_uses_the_newer_crl_another_replica_saved()
    {
        var (leaf, crl) = await RevokedCompanyCertificateAsync();
        await using var first = await RaServerHarness.StartAsync(postgres, crls: new Dictionary<DevCa, byte[]> { [DevCa.Moeaca] = crl });
        await using var second = await RaServerHarness.StartAsync(postgres, connectionString: first.ConnectionString);

        var envelope = new RequestSigner(leaf, second.Clock).Sign(CompanyListing());
        await RpcAssert.RefusedAsync(StatusCode.Unauthenticated, "SIGNER_CERT_REVOKED", async () =>
            await new RegistrationAuthority.RegistrationAuthorityClient(second.Channel()).ListApplicationsAsync(
                new ListApplicationsRequest { Envelope = envelope }));
        // The customs CA's CRL shares the table; the four trust anchors' CRLs are the ones this keeper saves.
        var trustKeyIds = second.Services.GetRequiredService<TrustAnchors>().All.Select(KeyIdentifiers.Of).ToArray();
        await using var connection = new Npgsql.NpgsqlConnection(second.ConnectionString);
        Assert.Equal(4, await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection,
            "SELECT count(*) FROM crls WHERE issuer_key_id = ANY(@trustKeyIds)", new { trustKeyIds }));
    }

    [Fact]
    public async Task A_newer_crl_file_is_picked_up_by_the_next_refresh()
    {
        await using var server = await RaServerHarness.StartAsync(postgres, crls: new Dictionary<DevCa, byte[]>());
        var (leaf, crl) = await RevokedCompanyCertificateAsync();
        var client = new RegistrationAuthority.RegistrationAuthorityClient(server.Channel());
        await client.ListApplicationsAsync(new ListApplicationsRequest { Envelope = new RequestSigner(leaf, server.Clock).Sign(CompanyListing()) });

        var options = server.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<TrustOptions>>().Value;
        var moeacaCrlFile = options.CrlFiles.Single(f => Path.GetFileName(f) == "moeaca.crl");
        await File.WriteAllBytesAsync(moeacaCrlFile, crl);
        await server.Services.GetRequiredService<TrustCrlKeeper>().RefreshAsync(CancellationToken.None);

        await RpcAssert.RefusedAsync(StatusCode.Unauthenticated, "SIGNER_CERT_REVOKED", async () =>
            await client.ListApplicationsAsync(new ListApplicationsRequest { Envelope = new RequestSigner(leaf, server.Clock).Sign(CompanyListing()) }));
    }
}
