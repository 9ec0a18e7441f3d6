using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RaBench.Cmp;

/// <summary>
/// The CMP client the T7 load signs its requests as: a P-256 certificate made in the run (P-256 like the CA, so the
/// client's certConf signature costs what a Lightweight CMP client's does), pinned in
/// EmbeddedCa:CmpTrustedClientCertificates beside the dev PKI's registry client.
/// </summary>
public static class BenchCmpClient
{
    public const string CertificateFile = "cmp-client.crt";
    public const string KeyFile = "cmp-client.key";

    /// <summary>Writes the certificate and key into <paramref name="folder"/>; returns the setting that pins it.</summary>
    public static IReadOnlyDictionary<string, string> Create(string folder)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("C=TW, O=RaBench, CN=Bench CMP Client", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        // The CMP server finds the client by senderKID, which RFC 9483 says is the subject key identifier.
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(7));
        File.WriteAllText(Path.Combine(folder, CertificateFile), certificate.ExportCertificatePem() + "\n");
        File.WriteAllText(Path.Combine(folder, KeyFile), key.ExportPkcs8PrivateKeyPem() + "\n");
        // Index 0 is DevSettings' registry client; the bench's is added after it.
        return new Dictionary<string, string> { ["EmbeddedCa:CmpTrustedClientCertificates:1"] = Path.Combine(folder, CertificateFile) };
    }

    public static X509Certificate2 Load(string folder) =>
        X509Certificate2.CreateFromPemFile(Path.Combine(folder, CertificateFile), Path.Combine(folder, KeyFile));
}
