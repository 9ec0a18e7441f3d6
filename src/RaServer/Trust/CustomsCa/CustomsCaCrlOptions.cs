using RaServer.Hosting;
namespace RaServer.Trust;

/// <summary>
/// Configuration section "Ca", the CRL part: where the RA downloads the CRL of the CA that issues the customs-dedicated
/// certificates, and the certificate that must have signed it. Both empty means the embedded CA, with no paths to set.
/// </summary>
public sealed class CustomsCaCrlOptions
{
    public const string Section = "Ca";

    /// <summary>
    /// http(s) URL of the customs CA's CRL. Empty: the embedded CA's own CRL endpoint on this process's CA listener
    /// (EmbeddedCa:ListenAddress and the port it is bound to), fetched over real HTTP like an external CA's.
    /// </summary>
    public string CrlUrl { get; set; } = "";

    /// <summary>
    /// PEM or DER file of the issuing CA certificate the CRL must be signed by (name, key identifier, signature).
    /// Empty: the embedded CA's issuing certificate, read from the embedded CA itself.
    /// </summary>
    public string IssuerCertificatePath { get; set; } = "";

    /// <summary>
    /// How often the CRL is downloaded. Short, so a suspension or revocation shows in verdicts within seconds; cheap,
    /// because an unchanged CRL costs an HTTP 304 when the CA sends an ETag (the embedded CA does).
    /// </summary>
    public TimeSpan CrlRefreshInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Longest wait for one download, wall-clock; a CA that does not answer in time counts as down for that round.</summary>
    public TimeSpan CrlFetchTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest CRL accepted, in bytes: a million entries is some 40 MiB, beyond the customs CA's expected size.</summary>
    public long CrlMaxBytes { get; set; } = 50L * 1024 * 1024;
}
