using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using CaConnector;

namespace Ra.DevPki;

/// <summary>
/// Turns "C=TW, O=..., CN=..." into a DER name in the same order. .NET's string parser treats the last
/// RDN written as the first in DER (the Windows convention); the government CAs, OpenSSL and RFC 5280
/// examples put C first, so we flip it back.
/// </summary>
internal static class DistinguishedNames
{
    public static X500DistinguishedName FromOpenSslOrder(string dn, string? appendSerialNumber = null)
    {
        var parsed = new X500DistinguishedName(dn);
        var rdns = new List<ReadOnlyMemory<byte>>();
        var reader = new AsnReader(parsed.RawData, AsnEncodingRules.DER).ReadSequence();
        while (reader.HasData)
            rdns.Add(reader.ReadEncodedValue());
        rdns.Reverse();

        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var rdn in rdns)
                writer.WriteEncodedValue(rdn.Span);
            if (appendSerialNumber is not null)
            {
                using (writer.PushSetOf())
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(GovernmentOids.SubjectSerialNumber);
                    writer.WriteCharacterString(UniversalTagNumber.PrintableString, appendSerialNumber);
                }
            }
        }
        return new X500DistinguishedName(writer.Encode());
    }
}
