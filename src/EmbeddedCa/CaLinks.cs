namespace EmbeddedCa;

/// <summary>Where relying parties find the issuing CA's CRL and certificate; written into every certificate issued.</summary>
/// <param name="CrlUrl">HTTP URL of the CRL (CRL distribution point).</param>
/// <param name="CaIssuersUrl">HTTP URL of the issuing CA certificate (authority information access, caIssuers).</param>
public sealed record CaLinks(string CrlUrl, string CaIssuersUrl)
{
    public static CaLinks Under(Uri publicBaseUrl) => new(
        new Uri(publicBaseUrl, EmbeddedCaPaths.Crl).AbsoluteUri,
        new Uri(publicBaseUrl, EmbeddedCaPaths.IssuingCaCertificate).AbsoluteUri);
}

/// <summary>The HTTP paths the embedded CA serves; the host maps them, the profiles point at them.</summary>
public static class EmbeddedCaPaths
{
    public const string Crl = "/crl/customs-ca.crl";
    public const string IssuingCaCertificate = "/ca/customs-ca.crt";
    public const string RootCertificate = "/ca/customs-root.crt";
    public const string CmpWellKnown = "/.well-known/cmp";

    /// <summary>The only path besides "/" that openssl's CMP tools use.</summary>
    public const string CmpPkix = "/pkix/";
}
