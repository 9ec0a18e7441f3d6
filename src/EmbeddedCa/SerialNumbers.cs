using System.Security.Cryptography;

namespace EmbeddedCa;

/// <summary>Certificate serial numbers: 126 random bits, positive, always 16 bytes in DER (CA/B Forum asks for 64).</summary>
public static class SerialNumbers
{
    public const int Length = 16;

    /// <summary>Top bit clear keeps it positive; the next bit set keeps the DER encoding minimal and the length fixed.</summary>
    public static byte[] NewSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(Length);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x40);
        return serial;
    }

    /// <summary>Upper-case hex, the form <see cref="System.Security.Cryptography.X509Certificates.X509Certificate2.SerialNumber"/> prints.</summary>
    public static string ToHex(byte[] serial) => Convert.ToHexString(serial);

    /// <summary>False for anything that is not hex; leading zero bytes are dropped so equal numbers compare equal.</summary>
    public static bool TryParseHex(string hex, out byte[] serial)
    {
        serial = [];
        if (string.IsNullOrEmpty(hex) || hex.Length % 2 != 0 || !hex.All(char.IsAsciiHexDigit))
            return false;
        var bytes = Convert.FromHexString(hex);
        var start = 0;
        while (start < bytes.Length - 1 && bytes[start] == 0)
            start++;
        serial = bytes[start..];
        return true;
    }
}
