using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Ra.DevPki;

namespace CaConnector.Tests.Fixtures;

/// <summary>
/// The certificates around a CMP exchange, minted fresh per test run and written as PEM for `openssl cmp`:
/// a CA, the CMP server's protection certificate, an impostor server certificate from the same CA that the
/// client does not trust, the RA's certificate, and the end-entity certificate the mock hands out.
/// </summary>
public sealed class MockPki : IDisposable
{
    private readonly TestCa _ca;

    public MockPki()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("ra-cmp-pki-").FullName;
        _ca = TestCa.CreateRoot("C=TW, O=RaBackend Tests, CN=CMP Test CA", new CaSpec { Key = KeyAlgorithm.EcdsaP256 });
        CaServer = Leaf("C=TW, O=RaBackend Tests, CN=CMP Server");
        Impostor = Leaf("C=TW, O=RaBackend Tests, CN=CMP Server");
        Ra = Leaf("C=TW, O=RaBackend Tests, CN=Registration Authority");
        IssuedLeaf = Leaf("C=TW, O=Some Broker, CN=Issued Leaf");
        Write("ca.crt", _ca.CertificatePem());
        WritePair("srv", CaServer);
        WritePair("impostor", Impostor);
        WritePair("ee", IssuedLeaf);
    }

    public string Directory { get; }

    public X509Certificate2 CaCertificate => _ca.Certificate;

    public X509Certificate2 CaServer { get; }

    public X509Certificate2 Impostor { get; }

    public X509Certificate2 Ra { get; }

    public X509Certificate2 IssuedLeaf { get; }

    public string PathOf(string file) => Path.Combine(Directory, file);

    /// <summary>A fresh applicant CSR; the mock answers with <see cref="IssuedLeaf"/> whatever it asks for.</summary>
    public static byte[] NewCsr(string subject = "CN=Applicant")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new CertificateRequest(subject, key, HashAlgorithmName.SHA256).CreateSigningRequest();
    }

    /// <summary>An issue request for a fresh CSR. The profile travels with it, though a p10cr carries only the CSR.</summary>
    public static CaIssueRequest Request(string key = "app-1", byte[]? transactionId = null) => new()
    {
        RequestKey = key,
        CsrDer = NewCsr(),
        Profile = CertificateProfile.Organization("Some Broker", "04595252"),
        ValidityYears = 3,
        TransactionId = transactionId,
    };

    public void Dispose()
    {
        _ca.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private X509Certificate2 Leaf(string subject) =>
        _ca.IssueLeaf(new LeafSpec { SubjectDn = subject, KeyUsage = X509KeyUsageFlags.DigitalSignature, Key = KeyAlgorithm.EcdsaP256 });

    private void WritePair(string name, X509Certificate2 certificate)
    {
        Write(name + ".crt", certificate.ExportCertificatePem() + "\n");
        Write(name + ".key", certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem() + "\n");
    }

    private void Write(string file, string text) => File.WriteAllText(PathOf(file), text);
}
