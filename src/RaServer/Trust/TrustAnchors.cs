using System.Security.Cryptography.X509Certificates;

namespace RaServer.Trust;

/// <summary>The configured trust: root certificates and the issuing CAs allowed beneath them.</summary>
public sealed class TrustAnchors
{
    public TrustAnchors(IEnumerable<X509Certificate2> roots, IEnumerable<X509Certificate2> intermediates)
    {
        Roots = roots.ToList();
        Intermediates = intermediates.ToList();
        if (Roots.Count == 0)
            throw new ArgumentException("At least one trust anchor is required.", nameof(roots));
        All = [.. Roots, .. Intermediates];
    }

    public IReadOnlyList<X509Certificate2> Roots { get; }

    public IReadOnlyList<X509Certificate2> Intermediates { get; }

    /// <summary>Every configured CA, root or not: the possible signers of a CRL.</summary>
    public IReadOnlyList<X509Certificate2> All { get; }

    public static TrustAnchors Load(TrustOptions options) =>
        new(options.TrustAnchorFiles.SelectMany(CertificateFiles.Load), options.IntermediateFiles.SelectMany(CertificateFiles.Load));
}
