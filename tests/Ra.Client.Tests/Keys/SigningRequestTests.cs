using System.Security.Cryptography.X509Certificates;
using Ra.Client.Keys;
using RaServer.Policy;

namespace Ra.Client.Tests.Keys;

public sealed class SigningRequestTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    public static TheoryData<KeyType, string, string> Options => new()
    {
        { KeyType.EcdsaP256, "Public-Key: (256 bit)", "ecdsa-with-SHA256" },
        { KeyType.Rsa2048, "Public-Key: (2048 bit)", "sha256WithRSAEncryption" },
        { KeyType.Rsa3072, "Public-Key: (3072 bit)", "sha256WithRSAEncryption" },
    };

    [Theory]
    [MemberData(nameof(Options))]
    public void The_RA_policy_and_openssl_accept_the_csr_of_every_key_option(KeyType type, string keySize, string signature)
    {
        using var key = ApplicantKey.Generate(type);
        var der = SigningRequest.CreateDer(key);

        var check = CsrPolicy.Check(der);
        Assert.True(check.IsAccepted, $"{check.ReasonCode}: {check.Detail}");

        var file = folder.At("request.der");
        File.WriteAllBytes(file, der);
        var text = OpenSsl.Succeed("req", "-inform", "DER", "-in", file, "-verify", "-noout", "-text");
        Assert.Contains("verify OK", text);
        Assert.Contains(keySize, text);
        Assert.Contains($"Signature Algorithm: {signature}", text);
        if (type == KeyType.EcdsaP256)
            Assert.Contains("prime256v1", text);
    }

    [Fact]
    public void The_default_key_is_ecdsa_p256()
    {
        using var key = ApplicantKey.Generate();
        Assert.Equal(KeyType.EcdsaP256, key.Type);
    }

    [Fact]
    public void A_csr_carries_the_subject_it_is_given_and_its_pem_is_the_same_request()
    {
        using var key = ApplicantKey.Generate();
        var pem = SigningRequest.CreatePem(key, new X500DistinguishedName("CN=04595252, O=Test, C=TW"));
        var file = folder.Write("request.pem", pem);
        var text = OpenSsl.Succeed("req", "-in", file, "-verify", "-noout", "-subject");
        Assert.Contains("CN = 04595252", text);
        var loaded = CertificateRequest.LoadSigningRequestPem(pem, System.Security.Cryptography.HashAlgorithmName.SHA256);
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), loaded.PublicKey.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public void A_csr_whose_bytes_were_changed_is_refused_by_the_RA_policy()
    {
        // The policy check above means something only if the same check refuses a request that was not signed so.
        using var key = ApplicantKey.Generate();
        var der = SigningRequest.CreateDer(key, new X500DistinguishedName("CN=applicant"));
        var at = Array.LastIndexOf(der, (byte)'t');
        der[at] = (byte)'T';
        Assert.Equal(CsrReasons.SignatureInvalid, CsrPolicy.Check(der).ReasonCode);
    }
}
