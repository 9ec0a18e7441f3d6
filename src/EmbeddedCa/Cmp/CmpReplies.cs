using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cmp;

namespace EmbeddedCa.Cmp;

/// <summary>The PKIStatusInfo and error bodies the CMP endpoint answers with.</summary>
internal static class CmpReplies
{
    public static PkiStatusInfo Granted() => new(0);

    public static PkiStatusInfo Rejection(CmpFailureInfo failure, string text) =>
        new(2, new PkiFreeText(text), new PkiFailureInfo(BitsOf(failure)));

    public static PkiBody Error(CmpFailureInfo failure, string text) =>
        new(PkiBody.TYPE_ERROR, new ErrorMsgContent(Rejection(failure, text)));

    /// <summary>
    /// The named-bit string of RFC 4210 (bit n of the flags enum is bit n on the wire, first bit = 0), with trailing
    /// zero bits dropped as DER requires. BouncyCastle's own int constructor uses a different layout.
    /// </summary>
    public static DerBitString BitsOf(CmpFailureInfo failure)
    {
        var value = (uint)failure;
        if (value == 0)
            return new DerBitString([], 0);
        var highest = 31 - System.Numerics.BitOperations.LeadingZeroCount(value);
        var bytes = new byte[highest / 8 + 1];
        for (var bit = 0; bit <= highest; bit++)
        {
            if ((value & (1u << bit)) != 0)
                bytes[bit / 8] |= (byte)(0x80 >> (bit % 8));
        }
        return new DerBitString(bytes, 7 - highest % 8);
    }
}
