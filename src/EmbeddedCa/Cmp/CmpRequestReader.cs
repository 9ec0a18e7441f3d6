using System.Formats.Asn1;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cmp;

namespace EmbeddedCa.Cmp;

/// <summary>
/// Reads a request PKIMessage with BouncyCastle for its header and body only, and keeps the bytes they came in as the
/// protected part to verify. Parsing the whole message built the client's certificate in extraCerts into ASN.1
/// objects on every request, though a client that names its key in senderKID is found without it, and encoding
/// header and body again to verify the protection repeated work the client's bytes already are.
/// </summary>
internal sealed class CmpRequestReader
{
    private CmpRequestReader(PkiMessage message, byte[] der, byte[]? protectedPart)
    {
        Message = message;
        _der = der;
        _protectedPart = protectedPart;
    }

    private readonly byte[] _der;
    private readonly byte[]? _protectedPart;
    private bool _extraCertsRead;
    private byte[]? _firstExtraCertificate;

    /// <summary>Header, body and protection; extraCerts only through <see cref="FirstExtraCertificateDer"/>.</summary>
    public PkiMessage Message { get; }

    /// <exception cref="ArgumentException">and the others BouncyCastle throws for what is not a PKIMessage.</exception>
    public static CmpRequestReader Read(byte[] der)
    {
        try
        {
            AsnDecoder.ReadSequence(der, AsnEncodingRules.DER, out var offset, out var length, out var consumed);
            if (consumed == der.Length)
            {
                var inner = der.AsSpan(offset, length);
                AsnDecoder.ReadEncodedValue(inner, AsnEncodingRules.DER, out _, out _, out var headerLength);
                AsnDecoder.ReadEncodedValue(inner[headerLength..], AsnEncodingRules.DER, out _, out _, out var bodyLength);
                var rest = inner[(headerLength + bodyLength)..];
                var header = PkiHeader.GetInstance(Asn1Object.FromByteArray(inner[..headerLength].ToArray()));
                var body = PkiBody.GetInstance(Asn1Object.FromByteArray(inner.Slice(headerLength, bodyLength).ToArray()));
                var protection = ProtectionOf(rest);
                var writer = new AsnWriter(AsnEncodingRules.DER, initialCapacity: headerLength + bodyLength + 8);
                using (writer.PushSequence())
                {
                    writer.WriteEncodedValue(inner[..headerLength]);
                    writer.WriteEncodedValue(inner.Slice(headerLength, bodyLength));
                }
                return new CmpRequestReader(new PkiMessage(header, body, protection), der, writer.Encode());
            }
        }
        catch (AsnContentException)
        {
            // Not DER at the outer levels: BouncyCastle reads what it can below, as it always did.
        }
        return new CmpRequestReader(PkiMessage.GetInstance(Asn1Object.FromByteArray(der)), der, protectedPart: null);
    }

    /// <summary>
    /// The bytes the protection is checked over first: SEQUENCE { header, body } as the client sent them. A client that
    /// signed the DER of what it sent in another encoding is checked over the re-encoding as well (see the caller).
    /// </summary>
    public byte[] ProtectedPart => _protectedPart ?? ReEncodedProtectedPart();

    public byte[] ReEncodedProtectedPart() => new DerSequence(Message.Header, Message.Body).GetEncoded(Asn1Encodable.Der);

    /// <summary>extraCerts[0] in DER, parsed only when asked (a client not found by senderKID).</summary>
    public byte[]? FirstExtraCertificateDer()
    {
        if (!_extraCertsRead)
        {
            _firstExtraCertificate = PkiMessage.GetInstance(Asn1Object.FromByteArray(_der)).GetExtraCerts()?.FirstOrDefault()?.GetEncoded(Asn1Encodable.Der);
            _extraCertsRead = true;
        }
        return _firstExtraCertificate;
    }

    // [0] PKIProtection, if present: the BIT STRING inside the explicit tag.
    private static DerBitString? ProtectionOf(ReadOnlySpan<byte> rest)
    {
        if (rest.IsEmpty)
            return null;
        var tag = Asn1Tag.Decode(rest, out _);
        if (!tag.HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
            return null;
        AsnDecoder.ReadSequence(rest, AsnEncodingRules.DER, out var offset, out var length, out _, new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true));
        return DerBitString.GetInstance(Asn1Object.FromByteArray(rest.Slice(offset, length).ToArray()));
    }
}
