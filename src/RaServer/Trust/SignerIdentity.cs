using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using CaConnector;
using RaServer.Domain;

namespace RaServer.Trust;

/// <summary>The identifiers a government certificate carries about its holder (docs/DOMAIN.md).</summary>
internal sealed record SignerIdentity(SignerKind Kind, string? Ubn, string? IdLastFour, string? PersonName, string? OrganizationId)
{
    /// <summary>
    /// Reads the identity of a certificate's holder. The UBN comes from subjectDirectoryAttributes, falling
    /// back to an 8-digit subject serialNumber; when both are present and differ the certificate is refused,
    /// since which of the two is the holder cannot be told. (MOICA's subject serialNumber is a 16-digit card
    /// number, so only 8 digits count as a UBN.)
    /// </summary>
    public static SignerIdentity Read(X509Certificate2 certificate)
    {
        var attributes = DirectoryAttributes(certificate);
        var extensionUbn = attributes.GetValueOrDefault(GovernmentOids.Ubn);
        var subjectSerial = SubjectAttribute(certificate, GovernmentOids.SubjectSerialNumber);
        if (extensionUbn is not null && subjectSerial is not null && extensionUbn != subjectSerial)
            throw new RaException(RaErrorKind.Unauthenticated, "SIGNER_UBN_CONFLICT",
                $"The signer's certificate names UBN {extensionUbn} in its extension but {subjectSerial} in its subject.");
        var ubn = extensionUbn ?? (subjectSerial is { Length: 8 } s && s.All(char.IsAsciiDigit) ? s : null);
        var lastFour = attributes.GetValueOrDefault(GovernmentOids.IdLastFour);
        var kind = ubn is not null ? SignerKind.Organization
            : lastFour is not null ? SignerKind.Person
            : SignerKind.Other;
        var name = kind == SignerKind.Person ? SubjectAttribute(certificate, CertificateOids.CommonName) : null;
        return new SignerIdentity(kind, ubn, lastFour, name, attributes.GetValueOrDefault(GovernmentOids.OrganizationId));
    }

    private static Dictionary<string, string> DirectoryAttributes(X509Certificate2 certificate)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (certificate.Extensions[GovernmentOids.SubjectDirectoryAttributes] is not { } extension)
            return result;
        try
        {
            var sequence = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
            while (sequence.HasData)
            {
                var attribute = sequence.ReadSequence();
                var type = attribute.ReadObjectIdentifier();
                var values = attribute.ReadSetOf(skipSortOrderValidation: true);
                // PrintableString per the CAs' profile; other string types are read too rather than dropped.
                if (values.HasData && values.PeekTag() is { TagClass: TagClass.Universal } tag
                    && tag.TagValue is (int)UniversalTagNumber.PrintableString or (int)UniversalTagNumber.UTF8String
                        or (int)UniversalTagNumber.IA5String or (int)UniversalTagNumber.BMPString)
                    result.TryAdd(type, values.ReadCharacterString((UniversalTagNumber)tag.TagValue));
            }
        }
        catch (AsnContentException)
        {
            throw new RaException(RaErrorKind.Unauthenticated, "SIGNER_UNTRUSTED",
                "The signer's certificate has a malformed subjectDirectoryAttributes extension.");
        }
        return result;
    }

    private static string? SubjectAttribute(X509Certificate2 certificate, string oid) =>
        certificate.SubjectName.EnumerateRelativeDistinguishedNames()
            .Where(rdn => !rdn.HasMultipleElements && rdn.GetSingleElementType().Value == oid)
            .Select(rdn => rdn.GetSingleElementValue())
            .FirstOrDefault();
}
