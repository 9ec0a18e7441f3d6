namespace RaServer.Trust;

/// <summary>
/// Configuration section "Trust": which government CAs the RA accepts as identity for signed requests
/// (GRCA -> MOEACA, MOICA, GCA, XCA in production; the dev PKI's mimics locally).
/// </summary>
public sealed class TrustOptions
{
    public const string Section = "Trust";

    /// <summary>
    /// Root certificate files (PEM, one or a bundle, or DER): chains must end at one of these.
    /// Required; the verifier refuses to start without one rather than accept nothing or everything.
    /// </summary>
    public List<string> TrustAnchorFiles { get; set; } = [];

    /// <summary>
    /// Issuing CA certificate files. Only these may sit between a signer and a root: certificates shipped
    /// inside a request's CMS are not used to build the chain.
    /// </summary>
    public List<string> IntermediateFiles { get; set; } = [];

    /// <summary>
    /// DER CRL files loaded into the CRL store at start and read again every round (<see cref="CrlUrls"/> adds downloads). Every
    /// CA in a signer's chain needs a fresh CRL, or requests signed under it are refused as unavailable.
    /// </summary>
    public List<string> CrlFiles { get; set; } = [];

    /// <summary>
    /// How far a request's signingTime may be from the server clock, either way. Small enough that a
    /// captured request is useless soon; large enough for unsynchronised office PCs.
    /// </summary>
    public TimeSpan SigningTimeWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How many signer certificates keep their checked chain and parsed key in memory. A repeat signer
    /// then costs one signature check and a CRL lookup; beyond this many the cache starts over.
    /// </summary>
    public int SignerCacheSize { get; set; } = 10_000;

    /// <summary>
    /// How often the CRL files, the CRL URLs and the crls table are read again for newer CRLs (and the newest held is saved).
    /// </summary>
    public TimeSpan CrlRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// http(s) URLs of the trust anchors' CRLs (the CRL distribution points of MOEACA, MOICA, GCA, XCA), downloaded
    /// every round. A download that fails or is refused is logged and changes nothing: the CRL held stays in force
    /// until its nextUpdate.
    /// </summary>
    public List<string> CrlUrls { get; set; } = [];

    /// <summary>
    /// Longest wait for one CRL download, wall-clock. Long enough for a large government CRL on a slow link;
    /// short enough that a hung server does not stall the round (the URLs are fetched in parallel).
    /// </summary>
    public TimeSpan CrlFetchTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Largest CRL download accepted, in bytes. The biggest government CRLs are some tens of MiB; the cap keeps a
    /// misconfigured or hostile URL from filling memory.
    /// </summary>
    public long CrlMaxBytes { get; set; } = 50L * 1024 * 1024;
}
