using Npgsql;
using RaServer.Identity;

namespace RaServer.Signed;

/// <summary>
/// A signed request that passed every identity and integrity check: its payload parsed from the exact
/// bytes that were signed, who signed it, and the open transaction in which its work and its replay
/// journal row commit together.
/// </summary>
public sealed record SignedCall<TPayload>(
    TPayload Payload,
    VerifiedSigner Signer,
    string RequestId,
    NpgsqlConnection Connection,
    NpgsqlTransaction Transaction);
