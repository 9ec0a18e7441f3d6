using System.Formats.Asn1;

namespace RaServer.Tests.Identity;

/// <summary>
/// Damaged copies of a valid detached CMS, for the tests that prove a damaged signature is refused with a reason and
/// never crashes the verifier: single bytes changed at many positions, truncations, and the signer's certificate
/// re-wrapped in encodings DER forbids (which the issuer's signature over the TBS part does not notice).
/// </summary>
internal static class CmsMutations
{
    /// <summary>
    /// At most about <paramref name="count"/> positions spread over the whole CMS, each changed three ways: the low bit,
    /// the high bit, and the byte replaced by 0xFF (a length byte becoming "long form, 127 bytes").
    /// </summary>
    public static IEnumerable<(string What, byte[] Cms)> ChangedBytes(byte[] cms, int count)
    {
        var step = Math.Max(1, cms.Length / count);
        for (var position = 0; position < cms.Length; position += step)
        {
            foreach (var (name, change) in new (string, Func<byte, byte>)[]
                     { ("^0x01", b => (byte)(b ^ 0x01)), ("^0x80", b => (byte)(b ^ 0x80)), ("=0xFF", _ => 0xFF) })
            {
                var copy = cms.ToArray();
                copy[position] = change(copy[position]);
                if (!copy.AsSpan().SequenceEqual(cms))
                    yield return ($"byte {position} {name}", copy);
            }
        }
    }

    /// <summary>About <paramref name="count"/> prefixes of the CMS, from empty to one byte short.</summary>
    public static IEnumerable<(string What, byte[] Cms)> Truncations(byte[] cms, int count)
    {
        var step = Math.Max(1, cms.Length / count);
        for (var length = 0; length < cms.Length; length += step)
            yield return ($"first {length} bytes", cms[..length]);
        yield return ($"first {cms.Length - 1} bytes", cms[..^1]);
    }

    /// <summary>
    /// The signer's certificate in encodings BER allows and DER (RFC 5280 4.1, RFC 5652 10.2.1) does not; the
    /// certificate's own signature still verifies, since it covers only the TBS bytes, which stay as they were.
    /// <c>OpenSslRefuses</c> says whether <c>openssl cms -verify</c> (3.x) refuses it too: it reads certificates as BER,
    /// so only the extra element stops it; the RA refuses all four.
    /// </summary>
    public static IEnumerable<(string What, byte[] Certificate, bool OpenSslRefuses)> NonDerCertificates(byte[] certificate)
    {
        var outer = new AsnReader(certificate, AsnEncodingRules.DER);
        var content = outer.ReadSequence();
        var tbs = content.ReadEncodedValue().ToArray();
        var algorithm = content.ReadEncodedValue().ToArray();
        var signature = content.ReadEncodedValue().ToArray();
        byte[] inside = [.. tbs, .. algorithm, .. signature];

        yield return ("indefinite length", [0x30, 0x80, .. inside, 0x00, 0x00], false);
        yield return ("a length in more bytes than it needs", [0x30, 0x84, .. BigEndian(inside.Length, 4), .. inside], false);
        byte[] withNull = [.. inside, 0x05, 0x00];
        yield return ("a NULL after the signature value", [0x30, 0x82, .. BigEndian(withNull.Length, 2), .. withNull], true);
        byte[] constructed = [.. tbs, .. algorithm, .. ConstructedBitString(signature)];
        yield return ("a constructed BIT STRING for the signature value", [0x30, 0x82, .. BigEndian(constructed.Length, 2), .. constructed], false);
    }

    /// <summary>The CMS with its one embedded certificate replaced by <paramref name="certificate"/>, bytes as given.</summary>
    public static byte[] WithCertificate(byte[] cms, byte[] certificate)
    {
        var contentInfo = new AsnReader(cms, AsnEncodingRules.DER).ReadSequence();
        var type = contentInfo.ReadObjectIdentifier();
        var signedData = contentInfo.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0)).ReadSequence();
        var version = signedData.ReadEncodedValue();
        var digests = signedData.ReadEncodedValue();
        var encapsulated = signedData.ReadEncodedValue();
        signedData.ReadEncodedValue(); // [0] certificates, replaced
        var signerInfos = signedData.ReadEncodedValue();

        byte[] certificates = [0xA0, .. Length(certificate.Length), .. certificate];
        byte[] body = [.. version.Span, .. digests.Span, .. encapsulated.Span, .. certificates, .. signerInfos.Span];
        byte[] signed = [0x30, .. Length(body.Length), .. body];
        byte[] explicitSigned = [0xA0, .. Length(signed.Length), .. signed];
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteObjectIdentifier(type);
        byte[] oid = writer.Encode();
        byte[] info = [.. oid, .. explicitSigned];
        return [0x30, .. Length(info.Length), .. info];
    }

    private static byte[] ConstructedBitString(byte[] primitiveBitString)
    {
        // Split the primitive BIT STRING's content (unused-bits byte, then the bits) into two primitive segments.
        var value = new AsnReader(primitiveBitString, AsnEncodingRules.DER).ReadBitString(out _);
        var half = value.Length / 2;
        byte[] first = [0x03, .. Length(half + 1), 0x00, .. value[..half]];
        byte[] second = [0x03, .. Length(value.Length - half + 1), 0x00, .. value[half..]];
        byte[] both = [.. first, .. second];
        return [0x23, .. Length(both.Length), .. both];
    }

    private static byte[] Length(int length) => length switch
    {
        < 0x80 => [(byte)length],
        < 0x100 => [0x81, (byte)length],
        _ => [0x82, .. BigEndian(length, 2)],
    };

    private static byte[] BigEndian(int value, int bytes) =>
        Enumerable.Range(0, bytes).Select(i => (byte)(value >> (8 * (bytes - 1 - i)))).ToArray();
}
