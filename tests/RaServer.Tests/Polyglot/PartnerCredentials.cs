using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Ra.DevPki;
using RaServer.Tests.Harness;

namespace RaServer.Tests.Polyglot;

/// <summary>
/// What a partner app holds, as the PEM files `openssl` and the gRPC libraries of other languages read: the
/// applicant's signing certificate and key (the dev test company, MOEACA), the fee system's mTLS certificate and
/// key (role fees), and the CA of the RA's TLS certificate.
/// </summary>
internal sealed class PartnerCredentials : IDisposable
{
    private readonly string folder;

    public PartnerCredentials(DevPki pki)
    {
        folder = Directory.CreateTempSubdirectory("ra-polyglot-").FullName;
        (SignerCertificate, SignerKey) = WritePair(pki.CompanyP12, "signer");
        (FeesCertificate, FeesKey) = WritePair(pki.ClientP12(RaServerHarness.Client("fees")), "fees");
        TrustBundle = Write("tls-ca.pem", X509CertificateLoader.LoadCertificateFromFile(pki.TlsCaCertificate).ExportCertificatePem());
    }

    public string SignerCertificate { get; }
    public string SignerKey { get; }
    public string FeesCertificate { get; }
    public string FeesKey { get; }
    public string TrustBundle { get; }

    /// <summary>The contract tests' arguments (they read the same names from RA_* variables too).</summary>
    public string[] Arguments(Uri server) =>
    [
        "--server", server.GetLeftPart(UriPartial.Authority), "--trust-bundle", TrustBundle,
        "--signer-cert", SignerCertificate, "--signer-key", SignerKey, "--fees-cert", FeesCertificate, "--fees-key", FeesKey,
        "--ubn", WorkflowScenario.FirmUbn, "--name", WorkflowScenario.FirmName,
    ];

    private (string Certificate, string Key) WritePair(string p12, string name)
    {
        using var certificate = DevPki.LoadP12(p12);
        using AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetRSAPrivateKey() ?? certificate.GetECDsaPrivateKey()
            ?? throw new InvalidOperationException($"{p12} holds neither an RSA nor an EC key");
        return (Write($"{name}.crt.pem", certificate.ExportCertificatePem()), Write($"{name}.key.pem", key.ExportPkcs8PrivateKeyPem()));
    }

    private string Write(string name, string pem)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, pem);
        return path;
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
