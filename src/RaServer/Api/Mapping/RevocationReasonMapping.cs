using CaConnector;
using CaReason = CaConnector.RevocationReason;
using ContractReason = Customs.Ra.V1.RevocationReason;

namespace RaServer.Api;

/// <summary>
/// The contract's RevocationReason against the connector's. The contract numbers each RFC 5280 code plus one,
/// because proto3 keeps 0 for "not set", and lists no removeFromCRL (common.proto).
/// </summary>
internal static class RevocationReasonMapping
{
    public static ContractReason ToProto(CaReason reason) => (ContractReason)(CrlReasonCodes.CodeOf(reason) + 1);

    /// <summary>A reason code as the RA's tables store it; none, or one RFC 5280 does not define, is "not set".</summary>
    public static ContractReason StoredCodeToProto(int? code) =>
        code is { } stored && CrlReasonCodes.ReasonOf(stored) is { } reason ? ToProto(reason) : ContractReason.Unspecified;

    /// <summary>Null for "not set" and for a number the contract does not list.</summary>
    public static CaReason? FromProto(ContractReason reason) =>
        reason != ContractReason.Unspecified && Enum.IsDefined(reason) ? CrlReasonCodes.ReasonOf((int)reason - 1) : null;
}
