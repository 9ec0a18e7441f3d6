using System.Security.Cryptography.X509Certificates;

namespace EmbeddedCa;

/// <summary>
/// The extensions of an end-entity certificate, as a pure function of the profile, the subject key and the CA's
/// links: a signing certificate (digitalSignature + nonRepudiation, critical), never a CA, traceable to its issuer.
/// </summary>
public static class CertificateExtensions
{
    public static IReadOnlyList<X509Extension> For(CertificateProfile profile, PublicKey subjectKey, X509SubjectKeyIdentifierExtension issuerKeyId, CaLinks links)
    {
        var extensions = new List<X509Extension>
        {
            new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true),
            new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, critical: true),
            new X509SubjectKeyIdentifierExtension(subjectKey, critical: false),
            X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(issuerKeyId),
            CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([links.CrlUrl]),
            new X509AuthorityInformationAccessExtension(ocspUris: null, caIssuersUris: [links.CaIssuersUrl]),
        };
        if (SubjectDirectoryAttributes.Build(profile.DirectoryAttributes.Select(a => (a.Oid, a.Value))) is { } directory)
            extensions.Add(directory);
        return extensions;
    }
}
