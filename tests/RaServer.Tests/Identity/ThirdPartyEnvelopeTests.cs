using System.Security.Cryptography.X509Certificates;
using Ra.DevPki;
using RaServer.Domain;
using RaServer.Hosting;
using RaServer.Policy;
using RaServer.Storage;
using RaServer.Trust;
using RaServer.Tests.DevPkiTests;

namespace RaServer.Tests.Identity;

/// <summary>Envelopes from producers other than .NET, and the verifier loaded the way the server loads it.</summary>
public sealed class ThirdPartyEnvelopeTests(GeneratedPkiFixture fixture) : IClassFixture<GeneratedPkiFixture>
{
    [Fact]
    public void A_detached_signature_made_by_openssl_cms_with_the_dev_company_is_accepted()
    {
        var pki = fixture.Pki;
        var trust = TrustServices.Load(OptionsFor(pki), TimeProvider.System);
        using var folder = new TempFolder();
        using var company = Ra.DevPki.DevPki.LoadP12(pki.CompanyP12);
        File.WriteAllBytes(folder.File("payload.bin"), SigningPki.Payload);
        File.WriteAllText(folder.File("cert.pem"), company.ExportCertificatePem());
        File.WriteAllText(folder.File("key.pem"), company.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());

        OpenSsl.Succeed("cms", "-sign", "-binary", "-outform", "DER", "-in", folder.File("payload.bin"),
            "-signer", folder.File("cert.pem"), "-inkey", folder.File("key.pem"), "-out", folder.File("sig.der"));

        var signer = trust.Verifier.Verify(SigningPki.Payload, File.ReadAllBytes(folder.File("sig.der")));
        Assert.Equal("04595252", signer.Ubn);
        Assert.Equal(SignerKind.Organization, signer.Kind);
        ApplicantBinding.Ensure(signer, "04595252", null, null);
    }

    [Fact]
    public void The_dev_broker_signs_a_request_that_the_verifier_loaded_from_dev_pki_files_accepts()
    {
        var pki = fixture.Pki;
        var trust = TrustServices.Load(OptionsFor(pki), TimeProvider.System);
        Assert.Equal(4, trust.Crls.Statuses.Count);
        using var broker = Ra.DevPki.DevPki.LoadP12(pki.BrokerP12);
        var cms = new System.Security.Cryptography.Pkcs.SignedCms(new System.Security.Cryptography.Pkcs.ContentInfo(SigningPki.Payload), detached: true);
        var cmsSigner = new System.Security.Cryptography.Pkcs.CmsSigner(broker);
        cmsSigner.SignedAttributes.Add(new System.Security.Cryptography.Pkcs.Pkcs9SigningTime(DateTime.UtcNow));
        cms.ComputeSignature(cmsSigner, silent: true);

        var signer = trust.Verifier.Verify(SigningPki.Payload, cms.Encode());

        ApplicantBinding.Ensure(signer, null, "A123456789", "測試人員");
    }

    private static TrustOptions OptionsFor(Ra.DevPki.DevPki pki) => new()
    {
        TrustAnchorFiles = [.. pki.TrustAnchorFiles],
        IntermediateFiles = [.. pki.IntermediateFiles],
        CrlFiles = [.. pki.CrlFiles],
    };
}
