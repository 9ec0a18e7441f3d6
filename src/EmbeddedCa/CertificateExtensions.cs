using System.Formats.Asn1;
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
        if (profile.DirectoryAttributes.Count > 0)
            extensions.Add(SubjectDirectoryAttributes(profile.DirectoryAttributes));
        return extensions;
    }

    /// <summary>SEQUENCE OF Attribute { type, SET OF PrintableString }; RFC 5280 4.2.1.8 makes it non-critical.</summary>
    private static X509Extension SubjectDirectoryAttributes(IReadOnlyList<DirectoryAttribute> attributes)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var attribute in attributes)
            {
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(attribute.Oid);
                    using (writer.PushSetOf())
                        writer.WriteCharacterString(UniversalTagNumber.PrintableString, attribute.Value);
                }
            }
        }
        return new X509Extension(ProfileOids.SubjectDirectoryAttributes, writer.Encode(), critical: false);
    }
}
