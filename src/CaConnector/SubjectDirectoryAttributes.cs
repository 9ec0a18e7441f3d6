using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace CaConnector;

/// <summary>
/// Encodes subjectDirectoryAttributes (RFC 5280 4.2.1.8) in the government CAs' layout: SEQUENCE OF Attribute
/// { type, SET OF PrintableString }.
/// </summary>
public static class SubjectDirectoryAttributes
{
    /// <returns>Null for no attributes: the extension must hold at least one.</returns>
    public static X509Extension? Build(IEnumerable<(string Oid, string Value)> attributes)
    {
        var list = attributes.ToList();
        if (list.Count == 0)
            return null;
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var (oid, value) in list)
            {
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(oid);
                    using (writer.PushSetOf())
                        writer.WriteCharacterString(UniversalTagNumber.PrintableString, value);
                }
            }
        }
        // RFC 5280 requires this extension to be non-critical.
        return new X509Extension(GovernmentOids.SubjectDirectoryAttributes, writer.Encode(), critical: false);
    }
}
