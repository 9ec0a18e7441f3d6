namespace RaServer.Identity;

/// <summary>
/// Configuration section "Trust": which government CAs the RA accepts as identity for signed requests
/// (GRCA -> MOEACA, MOICA, GCA, XCA in production; the dev PKI's mimics locally).
/// </summary>
public sealed class TrustOptions
{
    public const string SectionName = "Trust";

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
    /// DER CRL files loaded into the CRL store at start (later the CRL fetcher updates the store). Every
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
    /// How often the CRL files and the crls table are read again for newer CRLs (and the newest held is saved).
    /// </summary>
    public TimeSpan CrlRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);
}
