using System.Formats.Asn1;

namespace RaServer.Trust;

/// <summary>
/// Whether bytes are one value in DER all the way down, as RFC 5280 4.1 requires of a certificate and RFC 5652 of the
/// certificates a SignedData carries. AsnReader in DER mode checks only the value it is asked to read, so a
/// certificate wrapped in an indefinite length, a long-form length, an extra element or a constructed string would
/// otherwise pass, and OpenSSL's loader accepts some of those where <c>openssl cms -verify</c> does not.
/// </summary>
internal static class DerEncoding
{
    // Real certificates nest about ten deep; the bound keeps hostile input from recursing without end.
    private const int MaxDepth = 32;

    // The primitive types whose DER form is stricter than BER's (one BOOLEAN true, minimal INTEGERs, zero unused
    // bits, times in Z); the reader checks that form when it reads them. Strings are left alone: real certificates
    // carry PrintableStrings with characters X.680 does not allow, and OpenSSL accepts them.
    private static readonly Dictionary<UniversalTagNumber, Action<AsnReader>> StrictReaders = new()
    {
        [UniversalTagNumber.Boolean] = r => r.ReadBoolean(),
        [UniversalTagNumber.Integer] = r => r.ReadIntegerBytes(),
        [UniversalTagNumber.Enumerated] = r => r.ReadEnumeratedBytes(),
        [UniversalTagNumber.BitString] = r => r.ReadBitString(out _),
        [UniversalTagNumber.Null] = r => r.ReadNull(),
        [UniversalTagNumber.ObjectIdentifier] = r => r.ReadObjectIdentifier(),
        [UniversalTagNumber.UtcTime] = r => r.ReadUtcTime(),
        [UniversalTagNumber.GeneralizedTime] = r => r.ReadGeneralizedTime(),
    };

    public static bool IsDer(ReadOnlyMemory<byte> encoded)
    {
        try
        {
            var reader = new AsnReader(encoded, AsnEncodingRules.DER);
            return Walk(reader, 0) && !reader.HasData;
        }
        catch (AsnContentException)
        {
            return false;
        }
    }

    private static bool Walk(AsnReader reader, int depth)
    {
        if (depth > MaxDepth)
            return false;
        var tag = reader.PeekTag();
        if (tag.IsConstructed)
        {
            // DER allows constructed encodings only for SEQUENCE, SET and tagged values, never for strings.
            if (tag.TagClass == TagClass.Universal && tag.TagValue is not ((int)UniversalTagNumber.Sequence or (int)UniversalTagNumber.Set))
                return false;
            var inner = tag.HasSameClassAndValue(Asn1Tag.SetOf) ? reader.ReadSetOf(tag) : reader.ReadSequence(tag);
            while (inner.HasData)
                if (!Walk(inner, depth + 1))
                    return false;
            return true;
        }
        if (tag.TagClass != TagClass.Universal)
        {
            reader.ReadEncodedValue();
            return true;
        }
        if (StrictReaders.TryGetValue((UniversalTagNumber)tag.TagValue, out var read))
            read(reader);
        else
            reader.ReadEncodedValue();
        return true;
    }
}
