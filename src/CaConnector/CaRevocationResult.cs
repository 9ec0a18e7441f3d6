namespace CaConnector;

/// <summary>How a revocation, hold or release ended when it did not fail.</summary>
public enum CaRevocationResult
{
    /// <summary>The CA accepted the request.</summary>
    Done,

    /// <summary>
    /// The CA answered certRevoked: for a permanent revocation that is the state asked for; for a hold it is only
    /// taken as success when it answers a retry of the same request, since the first attempt may have landed (docs/CMP.md).
    /// </summary>
    AlreadyInRequestedState,
}
