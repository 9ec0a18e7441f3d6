using CaConnector;
using CaConnector.Resilience;

namespace RaServer.Trust;

/// <summary>Which CA issues the customs-dedicated certificates.</summary>
public enum CaMode
{
    /// <summary>The embedded CA in this process (the default: one machine runs everything).</summary>
    Embedded,

    /// <summary>
    /// An external CA over CMP (RFC 4210/9480 over HTTP), through the resilience pipeline. The embedded CA is not
    /// started: no CA material, no CA listener, no CRL schedule; statuses come from the external CA's CRL and the RA's
    /// records of the changes that CA answered, whichever is newer.
    /// </summary>
    Cmp,
}

/// <summary>
/// Configuration section "Ca": the CA behind the RA (docs/ARCHITECTURE.md §3, docs/CMP.md), how to reach it, and
/// where its CRL and certificate are, for status verdicts and for naming a certificate's issuer in a revocation. In
/// Trust because the customs CA's CRL keeper reads it, and Trust may not reach into Hosting, which picks the CA by it.
/// </summary>
public sealed class CaOptions
{
    public const string Section = "Ca";

    /// <summary>Embedded (default) or Cmp. <see cref="Cmp"/> and <see cref="Resilience"/> are read only for Cmp.</summary>
    public CaMode Mode { get; set; } = CaMode.Embedded;

    /// <summary>
    /// Where and how to speak CMP (Ca:Cmp:ServerUri, Path, RaCertificatePath, RaKeyPath, CaServerCertificatePath, the
    /// poll limits); see <see cref="CmpOptions"/> for each. The RA's certificate is the one the CA trusts as its RA.
    /// </summary>
    public CmpOptions Cmp { get; set; } = new();

    /// <summary>
    /// Timeout per attempt, in-call retries and the circuit breaker (Ca:Resilience:*); see <see cref="CaResilienceOptions"/>.
    /// The outbox retries on its own schedule after the call gives up, so in-call retries only smooth over blips.
    /// </summary>
    public CaResilienceOptions Resilience { get; set; } = new();

    /// <summary>
    /// http(s) URL of the CA's CRL, which with the RA's own records of the changes it asked for decides suspension and
    /// revocation verdicts (the newer of the two; verification.proto StatusSource). Required for Cmp. For
    /// Embedded, empty means the embedded CA's own CRL endpoint on this process's CA listener (EmbeddedCa:ListenAddress
    /// and the port it is bound to), fetched over real HTTP like an external CA's.
    /// </summary>
    public string CrlUrl { get; set; } = "";

    /// <summary>
    /// PEM or DER file of the CA certificate that issues the customs-dedicated certificates and signs the CRL at
    /// <see cref="CrlUrl"/> (a bundle's first certificate). The CRL must match its name, key identifier and signature,
    /// and a revocation names this CA as issuer when the RA holds no copy of the certificate (records imported from
    /// before the RA issued through this CA). Required for Cmp; for Embedded, empty means the embedded CA's own.
    /// </summary>
    public string IssuerCertificatePath { get; set; } = "";

    /// <summary>
    /// How often the CRL is downloaded when nothing asks sooner. A status change the RA asked for does not wait for
    /// it: verdicts take the RA's record at once, and the keeper fetches right after the CA's answer. The interval is
    /// how soon a hold or revocation made at the CA without the RA shows; short and cheap, because an unchanged CRL
    /// costs an HTTP 304 when the CA sends an ETag (the embedded CA does).
    /// </summary>
    public TimeSpan CrlRefreshInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Longest wait for one download, wall-clock; a CA that does not answer in time counts as down for that round.</summary>
    public TimeSpan CrlFetchTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest CRL accepted, in bytes: a million entries is some 40 MiB, beyond the customs CA's expected size.</summary>
    public long CrlMaxBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>
    /// The mode, read before the services are built: it decides which are registered at all. A value that is not a
    /// mode stops the start with a message naming Ca:Mode.
    /// </summary>
    public static CaMode ModeOf(IConfiguration configuration) => configuration.GetValue($"{Section}:{nameof(Mode)}", CaMode.Embedded);
}
