using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cmp;

namespace CaConnector.Cmp;

/// <summary>Reads PKIStatusInfo, error messages and body types into the connector's own terms.</summary>
internal static class CmpStatus
{
    public const int Accepted = 0;
    public const int GrantedWithMods = 1;
    public const int Rejection = 2;
    public const int Waiting = 3;

    private const int KnownFailureBits = 27;

    public static int StatusOf(PkiStatusInfo info) => info.Status.IntValueExact;

    public static bool IsGranted(PkiStatusInfo info) => StatusOf(info) is Accepted or GrantedWithMods;

    /// <summary>Bit n of the DER bit string (first bit = bit 0) becomes 1 &lt;&lt; n.</summary>
    public static CmpFailureInfo FailureInfoOf(PkiStatusInfo? info)
    {
        if (info?.FailInfo is not DerBitString bits)
            return CmpFailureInfo.None;
        var bytes = bits.GetBytes();
        var result = CmpFailureInfo.None;
        for (var bit = 0; bit < Math.Min(KnownFailureBits, bytes.Length * 8); bit++)
        {
            if ((bytes[bit / 8] & (0x80 >> (bit % 8))) != 0)
                result |= (CmpFailureInfo)(1 << bit);
        }
        return result;
    }

    public static string TextOf(PkiStatusInfo? info)
    {
        if (info?.StatusString is not PkiFreeText text || text.Count == 0)
            return $"status {(info is null ? "absent" : StatusOf(info).ToString(System.Globalization.CultureInfo.InvariantCulture))}, no text";
        return string.Join("; ", Enumerable.Range(0, text.Count).Select(i => text[i].GetString()));
    }

    public static string TextOf(ErrorMsgContent error)
    {
        var parts = new List<string> { TextOf(error.PkiStatusInfo) };
        if (error.ErrorCode is not null)
            parts.Add($"error code {error.ErrorCode.Value}");
        if (error.ErrorDetails is { Count: > 0 } details)
            parts.AddRange(Enumerable.Range(0, details.Count).Select(i => details[i].GetString()));
        return string.Join("; ", parts);
    }

    public static CaRefusedException Refusal(PkiStatusInfo info) => new(FailureInfoOf(info), TextOf(info));

    /// <summary>Turns an error message into a refusal, and any other unexpected body into a protocol refusal.</summary>
    public static void Expect(PkiMessage answer, int bodyType)
    {
        var body = answer.Body;
        if (body.Type == PkiBody.TYPE_ERROR)
        {
            var error = ErrorMsgContent.GetInstance(body.Content);
            throw new CaRefusedException(FailureInfoOf(error.PkiStatusInfo), TextOf(error));
        }
        if (body.Type != bodyType)
            throw new CaRefusedException(CmpFailureInfo.BadMessageCheck, $"expected CMP body type {bodyType}, got {body.Type}");
    }
}
