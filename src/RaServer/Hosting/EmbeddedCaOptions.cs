using EmbeddedCa;

namespace RaServer.Hosting;

/// <summary>Configuration section "EmbeddedCa": the default CA that runs inside RaServer.</summary>
public sealed class EmbeddedCaOptions
{
    public const string Section = "EmbeddedCa";

    /// <summary>
    /// Where the CA's private keys live: Sealed (the default: in the database, sealed with <see cref="KeyPassphrase"/>)
    /// or Pkcs11 (in the token of <see cref="Pkcs11"/>; the database keeps the certificates only). Fixed when the CA is
    /// first made: a replica configured otherwise than the stored CA refuses to sign.
    /// </summary>
    public CaKeySourceKind KeySource { get; set; } = CaKeySourceKind.Sealed;

    /// <summary>The token, with KeySource Pkcs11.</summary>
    public EmbeddedCaPkcs11Options Pkcs11 { get; set; } = new();

    /// <summary>
    /// With KeySource Sealed, seals the CA's private keys in the database. Required outside Development; in Development an empty value falls
    /// back to <see cref="DevelopmentPassphrase"/> so a fresh checkout starts, and says so in the log.
    /// </summary>
    public string KeyPassphrase { get; set; } = "";

    /// <summary>Key type of the CA keys made on first start (EcdsaP256 or Rsa2048); an existing CA keeps its own.</summary>
    public CaKeyAlgorithm KeyAlgorithm { get; set; } = CaKeyAlgorithm.EcdsaP256;

    /// <summary>Address of the plain HTTP/1.1 listener for CMP, CRL and CA certificates. Loopback by default.</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>Port of that listener; 0 picks a free one (tests).</summary>
    public int HttpPort { get; set; } = 8088;

    /// <summary>
    /// Base URL relying parties use to reach the listener, written into every certificate (CRL distribution point,
    /// caIssuers). Defaults to http://ListenAddress:HttpPort; set it when a proxy or DNS name fronts the CA.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>O= of the CA certificates made on first start.</summary>
    public string Organization { get; set; } = "Customs-Port-Trade Single Window";

    /// <summary>CN= of the root made on first start.</summary>
    public string RootCommonName { get; set; } = "Customs Dedicated Root CA";

    /// <summary>CN= of the issuing CA made on first start.</summary>
    public string IssuingCommonName { get; set; } = "Customs Dedicated Issuing CA";

    /// <summary>CN= of the certificate that signs CMP answers.</summary>
    public string CmpSignerCommonName { get; set; } = "Customs Dedicated CA CMP Signer";

    /// <summary>How long each CRL is valid (nextUpdate − thisUpdate).</summary>
    public TimeSpan CrlValidity { get; set; } = TimeSpan.FromDays(1);

    /// <summary>A CRL older than this is reissued on schedule even when nothing changed; well inside <see cref="CrlValidity"/>.</summary>
    public TimeSpan CrlRefreshInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often the schedule looks at the CRL's age.</summary>
    public TimeSpan CrlCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Longest validity a caller may ask for, in years.</summary>
    public int MaxValidityYears { get; set; } = 10;

    /// <summary>PEM files of the client certificates allowed to sign CMP requests (the RA's own CMP certificate, trusted third parties).</summary>
    public List<string> CmpTrustedClientCertificates { get; set; } = [];

    /// <summary>Validity of certificates issued through a raw CMP p10cr, which carries no fee schedule.</summary>
    public int CmpValidityYears { get; set; } = 3;

    /// <summary>Used only in Development when <see cref="KeyPassphrase"/> is empty; never acceptable elsewhere.</summary>
    public const string DevelopmentPassphrase = "embedded-ca-development-only";

    public Uri BaseUrl() => new(PublicBaseUrl ?? $"http://{ListenAddress}:{HttpPort}");

    /// <summary>PBKDF2 rounds that seal the CA keys when they are first made; the default is OWASP's figure.</summary>
    public int KeySealingIterations { get; set; } = EmbeddedCa.CaKeys.DefaultSealingIterations;

    /// <summary>The passphrase that seals the keys, with Development's fallback.</summary>
    public string SealingPassphrase(bool isDevelopment) => KeyPassphrase.Length > 0 || !isDevelopment ? KeyPassphrase : DevelopmentPassphrase;

    public EmbeddedCaSettings ToSettings() => new()
    {
        KeyAlgorithm = KeyAlgorithm,
        Organization = Organization,
        RootCommonName = RootCommonName,
        IssuingCommonName = IssuingCommonName,
        CmpSignerCommonName = CmpSignerCommonName,
        Links = CaLinks.Under(BaseUrl()),
        RootCertificateUrl = new Uri(BaseUrl(), EmbeddedCaPaths.RootCertificate).AbsoluteUri,
        CrlValidity = CrlValidity,
        CrlRefreshInterval = CrlRefreshInterval,
        MaxValidityYears = MaxValidityYears,
    };
}
