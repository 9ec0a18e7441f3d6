using System.Security.Cryptography;

namespace CaConnector;

/// <summary>
/// Certificate serial numbers, and their one spelling for the CA and the RA alike: upper-case hex without leading
/// zeros. A DER integer may carry a 00 sign byte, .NET prints whole bytes, callers type what they see: all must meet
/// in one form, or a revoked certificate could be looked up under another spelling and pass as good.
/// </summary>
public static class SerialNumbers
{
    /// <summary>Of the serials <see cref="NewSerial"/> makes: 126 random bits, positive, always 16 bytes in DER (CA/B Forum asks for 64).</summary>
    public const int Length = 16;

    // RFC 5280 4.1.2.2: a serial number is at most 20 octets.
    private const int MaxHexDigits = 40;

    /// <summary>Top bit clear keeps it positive; the next bit set keeps the DER encoding minimal and the length fixed.</summary>
    public static byte[] NewSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(Length);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x40);
        return serial;
    }

    /// <summary>The spelling of a serial given as big-endian bytes, with or without a sign byte.</summary>
    public static string ToHex(ReadOnlySpan<byte> serial) => Canonical(Convert.ToHexString(serial));

    /// <summary>The spelling of a serial in hex of any case, leading zeros or not; whether it is hex at all is <see cref="TryCanonical"/>'s question.</summary>
    public static string Canonical(string serialHex)
    {
        var trimmed = serialHex.Trim().ToUpperInvariant().TrimStart('0');
        return trimmed.Length == 0 ? "0" : trimmed;
    }

    /// <summary>False unless <paramref name="text"/> is a serial in hex: 1 to 40 digits of any case, white space around.</summary>
    public static bool TryCanonical(string text, out string canonical)
    {
        canonical = "";
        var trimmed = text.Trim();
        if (trimmed.Length is 0 or > MaxHexDigits || !trimmed.All(char.IsAsciiHexDigit))
            return false;
        canonical = Canonical(trimmed);
        return true;
    }

    /// <summary>The unsigned big-endian bytes of a serial in hex, without leading zero bytes; false for anything <see cref="TryCanonical"/> refuses.</summary>
    public static bool TryParseHex(string hex, out byte[] serial)
    {
        serial = [];
        if (!TryCanonical(hex, out var canonical))
            return false;
        // The spelling drops a leading zero digit, so an odd count is padded back to whole bytes.
        serial = Convert.FromHexString(canonical.Length % 2 == 0 ? canonical : "0" + canonical);
        return true;
    }
}
