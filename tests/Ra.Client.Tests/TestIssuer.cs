using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Ra.Client.Tests;

/// <summary>
/// A two-level CA (root, issuing CA) that signs the SDK's CSRs, so the files are tested with a certificate really
/// issued for the key that made the CSR, and a chain that openssl verifies.
/// </summary>
internal sealed class TestIssuer : IDisposable
{
    private readonly ECDsa issuingKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TestIssuer()
    {
        var now = DateTimeOffset.UtcNow;
        using var rootKey = RSA.Create(2048);
        var rootRequest = new CertificateRequest("CN=Test Root CA, O=Test, C=TW", rootKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        AddCaExtensions(rootRequest);
        Root = rootRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));

        // An ECDSA issuing CA under an RSA root, as mixed as real chains are: the signature generator signs across
        // key algorithms, which CertificateRequest.Create(issuerCertificate, ...) refuses.
        var issuingRequest = new CertificateRequest("CN=Test Customs CA, O=Test, C=TW", issuingKey, HashAlgorithmName.SHA256);
        AddCaExtensions(issuingRequest);
        using var issuingPublic = issuingRequest.Create(Root.SubjectName, X509SignatureGenerator.CreateForRSA(rootKey, RSASignaturePadding.Pkcs1),
            now.AddDays(-1), now.AddYears(5), [1]);
        Issuing = issuingPublic.CopyWithPrivateKey(issuingKey);
    }

    public X509Certificate2 Root { get; }

    public X509Certificate2 Issuing { get; }

    /// <summary>The chain as DownloadCertificateResponse.chain_der carries it: issuing CA first, then the root.</summary>
    public IReadOnlyList<byte[]> ChainDer => [Issuing.RawData, Root.RawData];

    /// <summary>Issues a certificate for the CSR's key (its signature checked first, as the CA would).</summary>
    public X509Certificate2 Issue(byte[] csrDer, string commonName = "Test Applicant")
    {
        var csr = CertificateRequest.LoadSigningRequest(csrDer, HashAlgorithmName.SHA256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={commonName}, O=Test, C=TW"), csr.PublicKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, critical: true));
        var now = DateTimeOffset.UtcNow;
        return request.Create(Issuing.SubjectName, X509SignatureGenerator.CreateForECDsa(issuingKey), now.AddMinutes(-5), now.AddYears(1), RandomNumberGenerator.GetBytes(16));
    }

    public void Dispose()
    {
        Root.Dispose();
        Issuing.Dispose();
        issuingKey.Dispose();
    }

    private static void AddCaExtensions(CertificateRequest request)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
    }
}
