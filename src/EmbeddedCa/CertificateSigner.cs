using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EmbeddedCa;

/// <summary>
/// Builds an end-entity certificate from a checked key and a profile, signed by the issuing CA key through .NET
/// (OpenSSL): about three times the rate of BouncyCastle's signing (docs/PERFORMANCE.md).
/// </summary>
public sealed class CertificateSigner(CaMaterial ca, CaLinks links)
{
    // Relying parties whose clocks run a little behind must not see a brand-new certificate as "not yet valid".
    private static readonly TimeSpan Backdating = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The certificate is valid from now; its term of <paramref name="validityYears"/> calendar years runs from now or
    /// from <paramref name="termFrom"/> when that is later (a renewal keeps what was left of the old certificate). The
    /// end is cut at the issuing CA's own, so no certificate outlives the key that vouches for it.
    /// </summary>
    public byte[] Sign(PublicKey subjectKey, CertificateProfile profile, int validityYears, DateTimeOffset now, byte[] serial, DateTimeOffset? termFrom = null) =>
        Issue(subjectKey, profile, validityYears, now, serial, termFrom).Der;

    /// <summary>
    /// <see cref="Sign"/>, with the subject and validity the certificate got, known from what was encoded: loading the
    /// DER again to learn them cost about as much as signing it.
    /// </summary>
    public SignedCertificate Issue(PublicKey subjectKey, CertificateProfile profile, int validityYears, DateTimeOffset now, byte[] serial, DateTimeOffset? termFrom = null)
    {
        var notBefore = TruncateToSeconds(now - Backdating);
        var termStart = termFrom is { } from && from > now ? from : now;
        var notAfter = TruncateToSeconds(termStart.AddYears(validityYears));
        if (notAfter > ca.Issuing.NotAfter)
            notAfter = ca.Issuing.NotAfter;
        var der = CertificateEncoder.Encode(ca.Issuing.SubjectName, profile.Subject, subjectKey, serial, notBefore, notAfter,
            CertificateExtensions.For(profile, subjectKey, ca.IssuingKeyId, links), ca.IssuingSigner);
        // X500DistinguishedName.Name is the formatting X509Certificate2.Subject uses.
        return new SignedCertificate(der, profile.Subject.Name, notBefore.UtcDateTime, notAfter.UtcDateTime);
    }

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerSecond, t.Offset);
}

/// <summary>A certificate as signed: its DER, its subject as .NET formats it, and its validity in UTC (whole seconds, as encoded).</summary>
public sealed record SignedCertificate(byte[] Der, string Subject, DateTime NotBefore, DateTime NotAfter);
