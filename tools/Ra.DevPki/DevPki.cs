using System.Numerics;
using System.Security.Cryptography.X509Certificates;

namespace Ra.DevPki;

/// <summary>
/// The files of a generated development PKI (see <see cref="DevPkiGenerator"/>) and operations on them.
/// Nothing here is trusted outside development: every CA carries a "RaBackend Dev Test" marker.
/// </summary>
public sealed class DevPki
{
    /// <summary>Password of every .p12 file in the dev PKI.</summary>
    public const string Password = "changeit";

    private DevPki(string folder) => Folder = Path.GetFullPath(folder);

    public string Folder { get; }

    public string CompanyP12 => At("identities", "company.p12");
    public string BrokerP12 => At("identities", "broker.p12");

    public string TlsServerCertificate => At("tls", "server.crt");
    public string TlsServerKey => At("tls", "server.key");
    /// <summary>The certificate that signs the audit log's checkpoints (Audit:SigningCertificatePath), issued by the RA TLS CA.</summary>
    public string AuditSigningCertificate => At("audit", "signer.crt");
    public string AuditSigningKey => At("audit", "signer.key");

    /// <summary>The CA that clients trust for the RA's TLS certificate.</summary>
    public string TlsCaCertificate => At("tls", "ca.crt");

    /// <summary>GCA + GRCA: what the RA trusts for mTLS client certificates.</summary>
    public string ClientCaBundle => At("clients", "ca-bundle.crt");

    public string Readme => At("README.txt");

    /// <summary>The trust anchors for signed requests (the GRCA mimic).</summary>
    public IReadOnlyList<string> TrustAnchorFiles => [CaCertificate(DevCa.Grca)];

    /// <summary>The issuing CAs under GRCA.</summary>
    public IReadOnlyList<string> IntermediateFiles =>
        [CaCertificate(DevCa.Moeaca), CaCertificate(DevCa.Moica), CaCertificate(DevCa.Gca)];

    public IReadOnlyList<string> CrlFiles => [Crl(DevCa.Grca), Crl(DevCa.Moeaca), Crl(DevCa.Moica), Crl(DevCa.Gca)];

    public string CaCertificate(DevCa ca) => ca == DevCa.RaTls ? TlsCaCertificate : At("trust", $"{Slug(ca)}.crt");
    public string CaKey(DevCa ca) => At("ca", $"{Slug(ca)}.key");
    public string Crl(DevCa ca) => ca == DevCa.RaTls
        ? throw new ArgumentException("The RA TLS CA publishes no CRL.", nameof(ca))
        : At("crl", $"{Slug(ca)}.crl");

    public string ClientP12(DevClient client) => At("clients", $"{client.FileName}.p12");
    public string ClientCertificate(DevClient client) => At("clients", $"{client.FileName}.crt");
    public string ClientKey(DevClient client) => At("clients", $"{client.FileName}.key");

    /// <summary>Every file a complete dev PKI holds; the generator regenerates when any is missing.</summary>
    public IEnumerable<string> AllFiles()
    {
        foreach (var ca in Enum.GetValues<DevCa>())
        {
            yield return CaCertificate(ca);
            yield return CaKey(ca);
            if (ca != DevCa.RaTls)
                yield return Crl(ca);
        }
        yield return CompanyP12;
        yield return BrokerP12;
        yield return TlsServerCertificate;
        yield return TlsServerKey;
        yield return AuditSigningCertificate;
        yield return AuditSigningKey;
        foreach (var client in DevClient.All)
        {
            yield return ClientP12(client);
            yield return ClientCertificate(client);
            yield return ClientKey(client);
        }
        yield return ClientCaBundle;
        yield return Readme;
    }

    /// <summary>The folder's PKI, or an exception naming the first missing file.</summary>
    public static DevPki Load(string folder)
    {
        var pki = new DevPki(folder);
        var missing = pki.AllFiles().FirstOrDefault(f => !File.Exists(f));
        if (missing is not null)
            throw new FileNotFoundException($"The dev PKI in {pki.Folder} is incomplete.", missing);
        return pki;
    }

    /// <summary>The paths of a PKI in <paramref name="folder"/>, whether or not it exists yet.</summary>
    internal static DevPki Describe(string folder) => new(folder);

    public static bool IsComplete(string folder) => new DevPki(folder).AllFiles().All(File.Exists);

    /// <summary>A CA of this PKI with its private key, so tests and dev commands can issue or re-sign CRLs.</summary>
    public TestCa LoadCa(DevCa ca, TimeProvider? time = null)
    {
        var certificate = X509Certificate2.CreateFromPemFile(CaCertificate(ca), CaKey(ca));
        return TestCa.FromCertificate(certificate, CrlUrlOf(ca), time);
    }

    /// <summary>Re-issues <paramref name="ca"/>'s CRL file with the given entries, number and times.</summary>
    public byte[] ReissueCrl(DevCa ca, IEnumerable<RevokedEntry> revoked, BigInteger crlNumber,
        DateTimeOffset thisUpdate, DateTimeOffset nextUpdate)
    {
        using var authority = LoadCa(ca);
        var der = authority.CreateCrl(revoked, thisUpdate, nextUpdate, crlNumber);
        AtomicFile.Write(Crl(ca), der);
        return der;
    }

    /// <summary>A .p12 of this PKI (identity or client), with its private key.</summary>
    public static X509Certificate2 LoadP12(string path) =>
        X509CertificateLoader.LoadPkcs12FromFile(path, Password, X509KeyStorageFlags.Exportable);

    /// <summary>Base of the CRL distribution point URLs written into the dev certificates.</summary>
    public const string CrlBaseUrl = "http://localhost/devpki/crl/";

    internal static string CrlUrlOf(DevCa ca) => $"{CrlBaseUrl}{Slug(ca)}.crl";

    internal static string Slug(DevCa ca) => ca.ToString().ToLowerInvariant();

    private string At(params string[] parts) => Path.Combine([Folder, .. parts]);
}
