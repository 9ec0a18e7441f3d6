using System.Net;
using System.Numerics;
using System.Security.Cryptography.X509Certificates;

namespace Ra.DevPki;

/// <summary>
/// Writes a development PKI that mimics the government hierarchy the RA trusts (GRCA -> MOEACA, MOICA,
/// GCA), a test company and a test broker to sign requests with, the RA's TLS certificate and the mTLS
/// client certificates of its roles. Idempotent: a folder that already holds a complete PKI is left alone,
/// so restarting a dev server never invalidates certificates that clients already hold.
/// </summary>
public static class DevPkiGenerator
{
    private const string TestMarker = "RaBackend Dev Test";

    public static async Task<DevPki> GenerateAsync(string folder, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        if (DevPki.IsComplete(folder))
            return DevPki.Load(folder);
        time ??= TimeProvider.System;
        var pki = DevPki.Describe(folder);
        if (OnlyAuditSignerMissing(pki))
        {
            // A PKI from before the audit signer existed: add it alone, so the certificates clients hold stay valid.
            using var existingTls = pki.LoadCa(DevCa.RaTls, time);
            WriteAuditSigner(pki, existingTls);
            return DevPki.Load(folder);
        }
        // Key generation is CPU work of a second or two; keep it off the caller's thread.
        await Task.Run(() => Generate(pki, time, cancellationToken), cancellationToken);
        return DevPki.Load(folder);
    }

    private static void Generate(DevPki pki, TimeProvider time, CancellationToken cancellationToken)
    {
        using var grca = TestCa.CreateRoot(
            $"C=TW, O=Government Root Certification Authority, OU={TestMarker}",
            new CaSpec { CrlUrl = DevPki.CrlUrlOf(DevCa.Grca) }, time);
        using var moeaca = IssuingCa(grca, DevCa.Moeaca, "工商憑證管理中心");
        using var moica = IssuingCa(grca, DevCa.Moica, "內政部憑證管理中心");
        using var gca = IssuingCa(grca, DevCa.Gca, "政府憑證管理中心");
        using var raTls = TestCa.CreateRoot($"C=TW, O=RaBackend, OU={TestMarker}, CN=RA TLS CA", time: time);
        cancellationToken.ThrowIfCancellationRequested();

        foreach (var (ca, authority) in new[] { (DevCa.Grca, grca), (DevCa.Moeaca, moeaca), (DevCa.Moica, moica), (DevCa.Gca, gca), (DevCa.RaTls, raTls) })
        {
            AtomicFile.Write(pki.CaCertificate(ca), authority.CertificatePem());
            AtomicFile.Write(pki.CaKey(ca), authority.PrivateKeyPem(), secret: true);
            if (ca != DevCa.RaTls)
                AtomicFile.Write(pki.Crl(ca), authority.CreateEmptyCrl(BigInteger.One));
        }

        using (var company = moeaca.IssueLeaf(new LeafSpec
        {
            SubjectDn = "C=TW, O=測試報關股份有限公司",
            Ubn = "04595252",
            SubjectSerialNumber = "04595252",
        }))
            WriteP12(pki.CompanyP12, company, moeaca);

        using (var broker = moica.IssueLeaf(new LeafSpec { SubjectDn = "C=TW, CN=測試人員", IdLastFour = "6789" }))
            WriteP12(pki.BrokerP12, broker, moica);
        cancellationToken.ThrowIfCancellationRequested();

        using (var server = raTls.IssueLeaf(new LeafSpec
        {
            SubjectDn = "C=TW, O=RaBackend, CN=localhost",
            KeyUsage = X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment,
            ExtendedKeyUsages = [ExtendedKeyUsageOids.ServerAuth],
            DnsNames = ["localhost"],
            IpAddresses = [IPAddress.Loopback],
        }))
        {
            AtomicFile.Write(pki.TlsServerCertificate, server.ExportCertificatePem() + "\n");
            AtomicFile.Write(pki.TlsServerKey, KeyPairs.PrivateKeyPem(server) + "\n", secret: true);
        }

        WriteAuditSigner(pki, raTls);

        foreach (var client in DevClient.All)
        {
            var ou = client.OrganizationalUnit is null ? "" : $", OU={client.OrganizationalUnit}";
            using var certificate = gca.IssueLeaf(new LeafSpec
            {
                SubjectDn = $"C=TW, O=RaBackend{ou}, CN={client.CommonName}",
                KeyUsage = X509KeyUsageFlags.DigitalSignature,
                ExtendedKeyUsages = [ExtendedKeyUsageOids.ClientAuth],
            });
            WriteP12(pki.ClientP12(client), certificate, gca);
            AtomicFile.Write(pki.ClientCertificate(client), certificate.ExportCertificatePem() + "\n");
            AtomicFile.Write(pki.ClientKey(client), KeyPairs.PrivateKeyPem(certificate) + "\n", secret: true);
        }
        AtomicFile.Write(pki.ClientCaBundle, gca.CertificatePem() + grca.CertificatePem());

        // Written last: its presence is part of what makes the folder "complete".
        AtomicFile.Write(pki.Readme, DevPkiReadme.Text);
    }

    private static bool OnlyAuditSignerMissing(DevPki pki) =>
        pki.AllFiles().Where(f => !File.Exists(f)).All(f => f == pki.AuditSigningCertificate || f == pki.AuditSigningKey);

    /// <summary>The audit checkpoints' signer: a signing key of its own (no EKU, not for TLS), under the RA's own CA.</summary>
    private static void WriteAuditSigner(DevPki pki, TestCa raTls)
    {
        using var signer = raTls.IssueLeaf(new LeafSpec
        {
            SubjectDn = "C=TW, O=RaBackend, CN=RA audit signer",
            KeyUsage = X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation,
            Key = KeyAlgorithm.EcdsaP256,
        });
        AtomicFile.Write(pki.AuditSigningCertificate, signer.ExportCertificatePem() + "\n");
        AtomicFile.Write(pki.AuditSigningKey, KeyPairs.PrivateKeyPem(signer) + "\n", secret: true);
    }

    private static TestCa IssuingCa(TestCa grca, DevCa ca, string unit) =>
        grca.IssueSubCa($"C=TW, O=行政院, OU={unit}, CN={TestMarker} {ca.ToString().ToUpperInvariant()}",
            new CaSpec { CrlUrl = DevPki.CrlUrlOf(ca) });

    /// <summary>The leaf with its key plus the issuing CA, so a signer can ship its chain.</summary>
    private static void WriteP12(string path, X509Certificate2 leaf, TestCa issuer)
    {
        using var issuerOnly = X509CertificateLoader.LoadCertificate(issuer.Certificate.RawData);
        var bundle = new X509Certificate2Collection { leaf, issuerOnly };
        AtomicFile.Write(path, bundle.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, DevPki.Password)!, secret: true);
    }
}
