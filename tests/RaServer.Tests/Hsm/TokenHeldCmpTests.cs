using System.Security.Cryptography.X509Certificates;
using Customs.Ra.V1;
using Microsoft.Extensions.DependencyInjection;
using EmbeddedCertificateAuthority = global::EmbeddedCa.EmbeddedCertificateAuthority;
using RaServer.Tests.CaFaults;
using RaServer.Tests.DevPkiTests;
using RaServer.Tests.EmbeddedCa;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;

namespace RaServer.Tests.Hsm;

/// <summary>The CA's CMP answers signed by the CMP signer's key in the token, as openssl cmp and an RA in Ca:Mode=Cmp check them.</summary>
public sealed class TokenHeldCmpTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static async Task<Action<Dictionary<string, string?>>> TokenSettingsAsync() =>
        (await SoftHsmToken.SharedAsync()).Settings("cmp-" + Guid.NewGuid().ToString("N")[..12]);

    [Theory]
    [InlineData("EcdsaP256")]
    [InlineData("Rsa2048")]
    public async Task Openssl_cmp_accepts_an_answer_protected_by_the_token_held_cmp_signer_key_and_the_certificate_and_crl_it_signed(string keyAlgorithm)
    {
        var token = await TokenSettingsAsync();
        await using var ca = await EmbeddedCaHost.StartAsync(await postgres.CreateDatabaseAsync(), settings =>
        {
            token(settings);
            settings["EmbeddedCa:KeyAlgorithm"] = keyAlgorithm;
        });
        var csr = ca.NewCsr("ee");

        // -srvcert: openssl takes the answer only if its protection verifies with the CMP signer's certificate.
        OpenSsl.Succeed("cmp", "-server", $"127.0.0.1:{ca.Address.Port}/pkix/", "-srvcert", ca.File("cmp-signer.crt"),
            "-cert", ca.File("ra.crt"), "-key", ca.File("ra.key"), "-batch", "-cmd", "p10cr", "-csr", csr, "-certout", ca.File("ee.crt"));

        OpenSsl.Succeed("verify", "-CAfile", ca.File("root.crt"), "-untrusted", ca.File("issuing.crt"), ca.File("ee.crt"));
        OpenSsl.Succeed("verify", "-CAfile", ca.File("root.crt"), "-untrusted", ca.File("issuing.crt"), ca.File("cmp-signer.crt"));
        Assert.Contains(keyAlgorithm == "Rsa2048" ? "rsaEncryption" : "id-ecPublicKey", OpenSsl.Succeed("x509", "-in", ca.File("issuing.crt"), "-noout", "-text"));
        using var http = new HttpClient();
        await File.WriteAllBytesAsync(ca.File("ca.crl"), await http.GetByteArrayAsync(new Uri(ca.Address, "/crl/customs-ca.crl")));
        var crlCheck = OpenSsl.Run("crl", "-in", ca.File("ca.crl"), "-inform", "DER", "-CAfile", ca.File("issuing.crt"), "-noout");
        Assert.Contains("verify OK", crlCheck.Output + crlCheck.Error);
    }

    [Fact]
    public async Task An_ra_in_cmp_mode_gets_its_certificate_from_a_ca_whose_keys_are_in_the_token()
    {
        await using var bed = await CmpCaTestBed.StartAsync(postgres, configureCa: await TokenSettingsAsync());
        var scenario = new WorkflowScenario(bed.Ra);
        await scenario.LoadRegistryAsync();

        using var issued = await scenario.IssueAsync(CertificateKind.Personal);

        using var chain = new X509Chain();
        var material = await bed.Ca.Services.GetRequiredService<EmbeddedCertificateAuthority>().GetMaterialAsync(CancellationToken.None);
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(material.Root);
        chain.ChainPolicy.ExtraStore.Add(material.Issuing);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(issued), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
        Assert.Equal(1, await bed.CaCertificatesAsync());
    }
}
