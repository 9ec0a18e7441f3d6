using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace RaServer.Tests.DevPkiTests;

/// <summary>
/// An independent reader of subjectDirectoryAttributes for the tests, so a bug in the production
/// reader cannot hide the same bug in the writer.
/// </summary>
internal static class DirectoryAttributes
{
    public static Dictionary<string, string> Read(X509Certificate2 certificate)
    {
        var result = new Dictionary<string, string>();
        var extension = certificate.Extensions["2.5.29.9"];
        if (extension is null)
            return result;
        var attributes = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
        while (attributes.HasData)
        {
            var attribute = attributes.ReadSequence();
            var oid = attribute.ReadObjectIdentifier();
            var values = attribute.ReadSetOf();
            result[oid] = values.ReadCharacterString(UniversalTagNumber.PrintableString);
        }
        return result;
    }

    public static string? SubjectAttribute(X509Certificate2 certificate, string oid) =>
        certificate.SubjectName.EnumerateRelativeDistinguishedNames()
            .Where(rdn => rdn.GetSingleElementType().Value == oid)
            .Select(rdn => rdn.GetSingleElementValue())
            .FirstOrDefault();
}
