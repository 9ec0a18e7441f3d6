using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace EmbeddedCa;

/// <summary>
/// The DER of CRL entries, written by hand: an entry has one fixed shape (SEQUENCE { INTEGER serial, Time, optional
/// reasonCode extension }), and a general ASN.1 writer per entry was most of the cost of a million-entry CRL. The
/// revokedCertificates SEQUENCE is then assembled as one block of bytes.
/// </summary>
internal static class CrlEntryEncoding
{
    // RFC 5280 5.3.1's highest reasonCode, aACompromise.
    private const int HighestReasonCode = 10;
    private const string ReasonCodeOid = "2.5.29.21";

    // Every entry of one reason carries the same crlEntryExtensions bytes: encoded once, copied per entry.
    private static readonly byte[]?[] ExtensionsByReason =
        Enumerable.Range(0, HighestReasonCode + 1).Select(code => Extensions((RevocationReason)code)).ToArray();

    public static byte[] Encode(RevokedCertificate entry)
    {
        var serial = entry.Serial.AsSpan();
        while (serial.Length > 1 && serial[0] == 0)
            serial = serial[1..]; // minimal: no leading zero bytes
        var pad = serial[0] >= 0x80 ? 1 : 0; // unsigned: a high first bit needs a zero byte in front
        var time = entry.RevokedAt.ToUniversalTime();
        var utcTime = time.Year is >= 1950 and <= 2049; // RFC 5280 5.1.2.4: UTCTime through 2049, GeneralizedTime from 2050
        var timeLength = utcTime ? 13 : 15;
        var code = (int)entry.Reason;
        var extensions = code is >= 0 and <= HighestReasonCode ? ExtensionsByReason[code] : null;
        var contentLength = 2 + pad + serial.Length + 2 + timeLength + (extensions?.Length ?? 0);
        if (serial.Length + pad > 127 || contentLength > 127)
            throw new ArgumentException($"serial of {entry.Serial.Length} bytes is too long for a CRL entry", nameof(entry));

        var der = new byte[2 + contentLength];
        var at = 0;
        der[at++] = 0x30;
        der[at++] = (byte)contentLength;
        der[at++] = 0x02;
        der[at++] = (byte)(serial.Length + pad);
        if (pad == 1)
            der[at++] = 0;
        serial.CopyTo(der.AsSpan(at));
        at += serial.Length;
        der[at++] = utcTime ? (byte)0x17 : (byte)0x18;
        der[at++] = (byte)timeLength;
        at = WriteDigits(der, at, utcTime ? time.Year % 100 : time.Year, utcTime ? 2 : 4);
        at = WriteDigits(der, at, time.Month, 2);
        at = WriteDigits(der, at, time.Day, 2);
        at = WriteDigits(der, at, time.Hour, 2);
        at = WriteDigits(der, at, time.Minute, 2);
        at = WriteDigits(der, at, time.Second, 2);
        der[at++] = (byte)'Z';
        extensions?.CopyTo(der, at);
        return der;
    }

    /// <summary>SEQUENCE OF the entries, as one encoded value; the entries are encoded (and kept) on first use.</summary>
    public static byte[] RevokedCertificates(IReadOnlyCollection<RevokedCertificate> entries)
    {
        var encoded = new byte[entries.Count][];
        long contentLength = 0;
        var i = 0;
        foreach (var entry in entries)
        {
            var der = entry.Encoded ??= Encode(entry);
            encoded[i++] = der;
            contentLength += der.Length;
        }
        var lengthBytes = contentLength < 0x80 ? 0 : (64 - long.LeadingZeroCount(contentLength) + 7) / 8;
        var sequence = new byte[checked(2 + lengthBytes + contentLength)];
        var at = 0;
        sequence[at++] = 0x30;
        if (lengthBytes == 0)
            sequence[at++] = (byte)contentLength;
        else
        {
            sequence[at++] = (byte)(0x80 | lengthBytes);
            for (var shift = (lengthBytes - 1) * 8; shift >= 0; shift -= 8)
                sequence[at++] = (byte)(contentLength >> (int)shift);
        }
        foreach (var der in encoded)
        {
            der.CopyTo(sequence, at);
            at += der.Length;
        }
        return sequence;
    }

    private static int WriteDigits(byte[] buffer, int at, int value, int digits)
    {
        for (var i = digits - 1; i >= 0; i--)
        {
            buffer[at + i] = (byte)('0' + value % 10);
            value /= 10;
        }
        return at + digits;
    }

    /// <summary>
    /// An entry's crlEntryExtensions: its reasonCode, or none for unspecified (RFC 5280 5.3.1 asks for the extension to
    /// be left out rather than written with that value, see <see cref="CrlReasonCodes.CrlEntryReasonOf"/>).
    /// </summary>
    private static byte[]? Extensions(RevocationReason reason)
    {
        if (!Enum.IsDefined(reason) || CrlReasonCodes.CrlEntryReasonOf(reason) is not { } listed)
            return null;
        var value = new AsnWriter(AsnEncodingRules.DER);
        value.WriteEnumeratedValue(listed);
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(ReasonCodeOid);
            writer.WriteOctetString(value.Encode());
        }
        return writer.Encode();
    }
}
