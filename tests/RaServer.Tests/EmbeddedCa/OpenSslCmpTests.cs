using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RaServer.Tests.DevPkiTests;
using RaServer.Tests.Fixtures;

namespace RaServer.Tests.EmbeddedCa;

/// <summary>`openssl cmp` as a third-party client of the embedded CA's CMP endpoint, and openssl checking what it gets.</summary>
public sealed class OpenSslCmpTests(PostgresFixture pg) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task A_p10cr_from_a_trusted_client_is_answered_with_a_certificate_that_openssl_verifies()
    {
        await using var ca = await EmbeddedCaHost.StartAsync(await pg.CreateDatabaseAsync());

        var issued = Enroll(ca, "ee");

        OpenSsl.Succeed("verify", "-CAfile", ca.File("root.crt"), "-untrusted", ca.File("issuing.crt"), issued);
        var text = OpenSsl.Succeed("x509", "-in", issued, "-noout", "-subject", "-ext", "keyUsage,basicConstraints,crlDistributionPoints,authorityInfoAccess");
        Assert.Contains("CN = Applicant", text);
        Assert.Contains("Digital Signature, Non Repudiation", text);
        Assert.Contains("CA:FALSE", text);
        Assert.Contains("/crl/customs-ca.crl", text);
        Assert.Contains("/ca/customs-ca.crt", text);
    }

    [Fact]
    public async Task A_hold_shows_as_certificate_hold_on_the_served_crl_and_a_release_removes_it()
    {
        await using var ca = await EmbeddedCaHost.StartAsync(await pg.CreateDatabaseAsync());
        var issued = Enroll(ca, "ee");
        var serial = X509CertificateLoader.LoadCertificateFromFile(issued).SerialNumber;

        Revoke(ca, issued, 6);
        var held = await FetchCrlAsync(ca, "held.crl");
        Assert.Contains($"Serial Number: {serial}", CrlText(ca, held));
        Assert.Contains("Certificate Hold", CrlText(ca, held));

        Revoke(ca, issued, 8);
        var released = await FetchCrlAsync(ca, "released.crl");
        Assert.DoesNotContain(serial, CrlText(ca, released));
        OpenSsl.Succeed("verify", "-crl_check", "-CAfile", ca.File("root.crt"), "-untrusted", ca.File("issuing.crt"), "-CRLfile", released, issued);

        var secondRelease = Revoke(ca, issued, 8, expectSuccess: false);
        Assert.Contains("not on hold", secondRelease);
    }

    [Fact]
    public async Task After_a_key_compromise_revocation_openssl_sees_the_certificate_revoked_and_a_hold_is_refused_as_cert_revoked()
    {
        await using var ca = await EmbeddedCaHost.StartAsync(await pg.CreateDatabaseAsync());
        var issued = Enroll(ca, "ee");

        Revoke(ca, issued, 1);
        var crl = await FetchCrlAsync(ca, "revoked.crl");
        Assert.Contains("Key Compromise", CrlText(ca, crl));
        var verify = OpenSsl.Run("verify", "-crl_check", "-CAfile", ca.File("root.crt"), "-untrusted", ca.File("issuing.crt"), "-CRLfile", crl, issued);
        Assert.NotEqual(0, verify.ExitCode);
        Assert.Contains("certificate revoked", verify.Output + verify.Error);

        var hold = Revoke(ca, issued, 6, expectSuccess: false);
        Assert.Contains("certRevoked", hold);
    }

    [Fact]
    public async Task A_request_signed_by_an_untrusted_client_is_refused_as_not_authorized()
    {
        await using var ca = await EmbeddedCaHost.StartAsync(await pg.CreateDatabaseAsync());
        var csr = ca.NewCsr("ee");

        var result = OpenSsl.Run("cmp", "-server", $"127.0.0.1:{ca.Address.Port}/pkix/", "-srvcert", ca.File("cmp-signer.crt"),
            "-cert", ca.File("impostor.crt"), "-key", ca.File("impostor.key"), "-batch", "-cmd", "p10cr", "-csr", csr, "-certout", ca.File("ee.crt"));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("notAuthorized", result.Output + result.Error);
        Assert.False(File.Exists(ca.File("ee.crt")));
    }

    [Fact]
    public async Task A_p10cr_whose_key_the_ras_policy_refuses_is_rejected_with_the_policys_reason()
    {
        await using var ca = await EmbeddedCaHost.StartAsync(await pg.CreateDatabaseAsync());
        using var weak = RSA.Create(1024);
        var csr = ca.File("weak.csr");
        await File.WriteAllTextAsync(csr, new CertificateRequest("CN=Applicant", weak, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSigningRequestPem() + "\n");

        var result = OpenSsl.Run("cmp", "-server", $"127.0.0.1:{ca.Address.Port}/pkix/", "-trusted", ca.File("root.crt"),
            "-cert", ca.File("ra.crt"), "-key", ca.File("ra.key"), "-batch", "-cmd", "p10cr", "-csr", csr, "-certout", ca.File("weak.crt"));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("CSR_KEY_TOO_WEAK", result.Output + result.Error);
        Assert.False(File.Exists(ca.File("weak.crt")));
    }

    [Fact]
    public async Task The_ca_certificates_are_served_for_the_aia_urls()
    {
        await using var ca = await EmbeddedCaHost.StartAsync(await pg.CreateDatabaseAsync());
        using var http = new HttpClient { BaseAddress = ca.Address };

        using var issuing = await http.GetAsync("/ca/customs-ca.crt");
        using var root = await http.GetAsync("/ca/customs-root.crt");

        Assert.Equal("application/pkix-cert", issuing.Content.Headers.ContentType!.MediaType);
        var material = await ca.Ca.GetMaterialAsync(CancellationToken.None);
        Assert.Equal(material.Issuing.RawData, await issuing.Content.ReadAsByteArrayAsync());
        Assert.Equal(material.Root.RawData, await root.Content.ReadAsByteArrayAsync());
    }

    private static string Enroll(EmbeddedCaHost ca, string name)
    {
        var csr = ca.NewCsr(name);
        var certificate = ca.File(name + ".crt");
        OpenSsl.Succeed("cmp", "-server", $"127.0.0.1:{ca.Address.Port}/pkix/", "-trusted", ca.File("root.crt"),
            "-cert", ca.File("ra.crt"), "-key", ca.File("ra.key"), "-batch", "-cmd", "p10cr", "-csr", csr, "-certout", certificate);
        return certificate;
    }

    /// <returns>openssl's output, for the refusal text.</returns>
    private static string Revoke(EmbeddedCaHost ca, string certificate, int reason, bool expectSuccess = true)
    {
        var result = OpenSsl.Run("cmp", "-server", $"127.0.0.1:{ca.Address.Port}/.well-known/cmp", "-srvcert", ca.File("cmp-signer.crt"),
            "-cert", ca.File("ra.crt"), "-key", ca.File("ra.key"), "-batch", "-cmd", "rr", "-oldcert", certificate,
            "-revreason", reason.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(expectSuccess == (result.ExitCode == 0), $"openssl cmp rr {reason}: exit {result.ExitCode}\n{result.Error}{result.Output}");
        return result.Output + result.Error;
    }

    private static async Task<string> FetchCrlAsync(EmbeddedCaHost ca, string name)
    {
        using var http = new HttpClient { BaseAddress = ca.Address };
        using var response = await http.GetAsync("/crl/customs-ca.crl");
        response.EnsureSuccessStatusCode();
        Assert.Equal("application/pkix-crl", response.Content.Headers.ContentType!.MediaType);
        await File.WriteAllBytesAsync(ca.File(name), await response.Content.ReadAsByteArrayAsync());
        return ca.File(name);
    }

    /// <summary>The CRL as openssl prints it, after openssl checked its signature against the issuing CA.</summary>
    private static string CrlText(EmbeddedCaHost ca, string crl)
    {
        var result = OpenSsl.Succeed("crl", "-inform", "DER", "-in", crl, "-CAfile", ca.File("issuing.crt"), "-noout", "-text");
        return result;
    }
}
