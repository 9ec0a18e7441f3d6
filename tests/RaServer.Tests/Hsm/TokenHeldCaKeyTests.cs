using System.Security.Cryptography;
using Customs.Ra.V1;
using Dapper;
using EmbeddedCa;
using EmbeddedCa.Pkcs11;
using Microsoft.Extensions.DependencyInjection;
using Net.Pkcs11Interop.Common;
using Npgsql;
using RaServer.Tests.DevPkiTests;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;

namespace RaServer.Tests.Hsm;

/// <summary>
/// The embedded CA with its keys in a softhsm2 token (EmbeddedCa:KeySource=Pkcs11): the whole journey signed by the
/// token, the keys made there and unable to leave it, none of them in PostgreSQL, and a second replica on the same
/// token signing with the same keys.
/// </summary>
public sealed class TokenHeldCaKeyTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    private static async Task<(SoftHsmToken Token, string Labels, Action<Dictionary<string, string?>> Settings)> TokenAsync()
    {
        var token = await SoftHsmToken.SharedAsync();
        var labels = "ca-" + Guid.NewGuid().ToString("N")[..12];
        return (token, labels, token.Settings(labels));
    }

    [Fact]
    public async Task Apply_pay_submit_a_csr_and_revoke_with_every_certificate_and_crl_signed_by_the_token()
    {
        var (_, _, settings) = await TokenAsync();
        await using var server = await RaServerHarness.StartAsync(postgres, configure: settings);
        var scenario = new WorkflowScenario(server);
        await scenario.LoadRegistryAsync();

        using var issued = await scenario.IssueAsync(CertificateKind.Personal);
        var material = await server.Services.GetRequiredService<EmbeddedCertificateAuthority>().GetMaterialAsync(CancellationToken.None);
        var root = Write("root.pem", material.Root.ExportCertificatePem());
        var issuing = Write("issuing.pem", material.Issuing.ExportCertificatePem());
        var leaf = Write("leaf.pem", issued.ExportCertificatePem());
        Assert.Contains("OK", OpenSsl.Succeed("verify", "-CAfile", root, "-untrusted", issuing, leaf));
        // The chain itself was signed in the token at first start: the root by the root key, the issuing CA by it.
        Assert.Contains("OK", OpenSsl.Succeed("verify", "-CAfile", root, issuing));

        await scenario.ChangeStatusAsync(ServiceType.Revoke, CertificateKind.Personal, issued.SerialNumber);

        using var http = new HttpClient();
        var crlDer = await http.GetByteArrayAsync(new Uri(server.CaAddress!, EmbeddedCaPaths.Crl));
        var crl = Write("ca.crl.pem", new string(PemEncoding.Write("X509 CRL", crlDer)));
        var crlText = OpenSsl.Succeed("crl", "-in", crl, "-CAfile", issuing, "-noout", "-text");
        Assert.Contains("Serial Number: " + issued.SerialNumber, crlText);
        var verdict = OpenSsl.Run("verify", "-crl_check", "-CAfile", root, "-untrusted", issuing, "-CRLfile", crl, leaf);
        Assert.Contains("certificate revoked", verdict.Output + verdict.Error);
    }

    [Fact]
    public async Task The_cas_private_keys_are_made_in_the_token_cannot_be_read_out_of_it_and_none_is_in_postgresql()
    {
        var (token, labels, settings) = await TokenAsync();
        await using var server = await RaServerHarness.StartAsync(postgres, configure: settings);
        var material = await server.Services.GetRequiredService<EmbeddedCertificateAuthority>().GetMaterialAsync(CancellationToken.None);

        foreach (var (role, certificate) in new[] { ("root", material.Root), ("issuing", material.Issuing), ("cmp-signer", material.CmpSigner) })
        {
            var label = $"{labels}-{role}";
            var (extractable, sensitive, valueUnreadable, publicPoint) = token.Inspect(session =>
            {
                var a = Pkcs11Module.Factories.ObjectAttributeFactory;
                var privateKey = Assert.Single(session.FindAllObjects([a.Create(CKA.CKA_CLASS, CKO.CKO_PRIVATE_KEY), a.Create(CKA.CKA_LABEL, label)]));
                var flags = session.GetAttributeValue(privateKey, [CKA.CKA_EXTRACTABLE, CKA.CKA_SENSITIVE, CKA.CKA_VALUE]);
                var publicKey = Assert.Single(session.FindAllObjects([a.Create(CKA.CKA_CLASS, CKO.CKO_PUBLIC_KEY), a.Create(CKA.CKA_LABEL, label)]));
                var point = session.GetAttributeValue(publicKey, [CKA.CKA_EC_POINT])[0].GetValueAsByteArray();
                return (flags[0].GetValueAsBool(), flags[1].GetValueAsBool(), flags[2].CannotBeRead, point);
            });
            Assert.False(extractable, label);
            Assert.True(sensitive, label);
            Assert.True(valueUnreadable, $"{label}: the token handed out CKA_VALUE of a CA private key");
            // The certificate certifies the key in the token (CKA_EC_POINT is the DER OCTET STRING of the point).
            Assert.Equal(certificate.PublicKey.EncodedKeyValue.RawData, publicPoint[2..]);
        }

        await using var connection = new NpgsqlConnection(server.ConnectionString);
        var row = await connection.QuerySingleAsync<(string KeySource, string? Root, string? Issuing, string? CmpSigner)>(
            "SELECT key_source, root_key_pem, issuing_key_pem, cmp_signer_key_pem FROM embedded_ca_material");
        Assert.Equal(("Pkcs11", null, null, null), (row.KeySource, row.Root, row.Issuing, row.CmpSigner));
        var anyPrivateKey = await connection.ExecuteScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM embedded_ca_material m WHERE m::text ILIKE '%PRIVATE KEY%')");
        Assert.False(anyPrivateKey);
    }

    [Fact]
    public async Task A_second_replica_on_the_same_token_and_database_finds_the_keys_by_label_and_issues_with_them()
    {
        var (token, labels, settings) = await TokenAsync();
        await using var first = await RaServerHarness.StartAsync(postgres, configure: settings);
        var scenario = new WorkflowScenario(first);
        await scenario.LoadRegistryAsync();
        using var fromFirst = await scenario.IssueAsync(CertificateKind.Personal);

        await using var second = await RaServerHarness.StartAsync(postgres, configure: settings, connectionString: first.ConnectionString);
        using var fromSecond = await new WorkflowScenario(second).IssueAsync(CertificateKind.Organization);

        var material = await second.Services.GetRequiredService<EmbeddedCertificateAuthority>().GetMaterialAsync(CancellationToken.None);
        var root = Write("root.pem", material.Root.ExportCertificatePem());
        var issuing = Write("issuing.pem", material.Issuing.ExportCertificatePem());
        OpenSsl.Succeed("verify", "-CAfile", root, "-untrusted", issuing, Write("first.pem", fromFirst.ExportCertificatePem()));
        OpenSsl.Succeed("verify", "-CAfile", root, "-untrusted", issuing, Write("second.pem", fromSecond.ExportCertificatePem()));
        var issuingKeys = token.Inspect(session =>
        {
            var a = Pkcs11Module.Factories.ObjectAttributeFactory;
            return session.FindAllObjects([a.Create(CKA.CKA_CLASS, CKO.CKO_PRIVATE_KEY), a.Create(CKA.CKA_LABEL, labels + "-issuing")]).Count;
        });
        Assert.Equal(1, issuingKeys);
    }

    [Fact]
    public async Task A_replica_configured_for_sealed_keys_does_not_start_on_a_ca_whose_keys_are_in_a_token()
    {
        var (_, _, settings) = await TokenAsync();
        await using var first = await RaServerHarness.StartAsync(postgres, configure: settings);
        await first.Services.GetRequiredService<EmbeddedCertificateAuthority>().GetMaterialAsync(CancellationToken.None);

        // The customs CA's CRL keeper loads the CA at start: the replica stops there, before it signs anything.
        var e = await Assert.ThrowsAsync<CryptographicException>(() => RaServerHarness.StartAsync(postgres, connectionString: first.ConnectionString));

        Assert.Contains("in a PKCS#11 token (Pkcs11)", e.Message);
        Assert.Contains("EmbeddedCa:KeySource", e.Message);
    }

    private string Write(string name, string text)
    {
        var path = folder.File(name);
        File.WriteAllText(path, text + "\n");
        return path;
    }
}
