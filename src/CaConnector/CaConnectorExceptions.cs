namespace CaConnector;

/// <summary>Base of every failure the connector reports; catch a subtype to decide what to do.</summary>
public abstract class CaConnectorException : Exception
{
    protected CaConnectorException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>
/// The CA said no, for good: a CMP error message, a rejection status, or an answer that fails our checks (bad
/// protection, foreign transactionID or nonce). Never retried; the application goes to FAILED with this reason.
/// </summary>
public sealed class CaRefusedException : CaConnectorException
{
    public CaRefusedException(CmpFailureInfo failureInfo, string reasonText, Exception? inner = null)
        : base(Describe(failureInfo, reasonText), inner)
    {
        FailureInfo = failureInfo;
        ReasonText = reasonText;
    }

    /// <summary>The failInfo bits the CA sent (or <see cref="CmpFailureInfo.BadMessageCheck"/> for an answer we refused).</summary>
    public CmpFailureInfo FailureInfo { get; }

    /// <summary>The CA's own words (statusString / errorDetails), or ours when the answer itself was refused.</summary>
    public string ReasonText { get; }

    private static string Describe(CmpFailureInfo info, string text) => $"The CA refused the request ({info}): {text}";
}

/// <summary>
/// The CA could not be reached or answered with no CMP message (transport error, timeout, HTTP 5xx, open breaker).
/// The request is known not to have been acted on, or is safe to repeat (rr): retry later.
/// </summary>
public sealed class CaUnavailableException : CaConnectorException
{
    public CaUnavailableException(string message, bool requestMayHaveReachedCa, Exception? inner = null)
        : base(message, inner) => RequestMayHaveReachedCa = requestMayHaveReachedCa;

    /// <summary>
    /// False only when the failure certainly came before the CA saw the request (connection refused, HTTP 503,
    /// open circuit). A p10cr is repeated only in that case.
    /// </summary>
    public bool RequestMayHaveReachedCa { get; }
}

/// <summary>
/// An issue request may or may not have produced a certificate (the p10cr may have reached the CA, then the line
/// went quiet, or polling ran out). Resending could mint a second certificate, so the caller reconciles first
/// (docs/CMP.md "Do not blindly resend a p10cr").
/// </summary>
public sealed class CaOutcomeUnknownException : CaConnectorException
{
    public CaOutcomeUnknownException(string requestKey, string? transactionIdHex, string message, Exception? inner = null)
        : base($"Outcome of request {requestKey} (CMP transaction {transactionIdHex ?? "not known"}) is unknown: {message}", inner)
    {
        RequestKey = requestKey;
        TransactionIdHex = transactionIdHex;
    }

    /// <summary>The RA's idempotency key of the request in doubt.</summary>
    public string RequestKey { get; }

    /// <summary>The CMP transactionID used, for looking the transaction up at the CA; null when an attempt timeout cut off a random one unseen.</summary>
    public string? TransactionIdHex { get; }
}
