namespace EmbeddedCa;

/// <summary>What a caller asks for: revoke for good (with a reason), put on hold, or release a hold.</summary>
public enum StatusRequest
{
    Revoke,
    Hold,
    Release,
}

/// <summary>The answer of <see cref="RevocationRules.Decide"/>.</summary>
/// <param name="Outcome">Change, leave as it is (the state asked for already holds), or refuse.</param>
/// <param name="NewStatus">The status after a change; the current one otherwise.</param>
/// <param name="FailureInfo">The CMP failInfo of a refusal, or of an unchanged hold/revocation as CMP reports it.</param>
/// <param name="Text">Why, for the caller and the log.</param>
public sealed record StatusDecision(StatusOutcome Outcome, CertificateStatus NewStatus, CmpFailureInfo FailureInfo, string Text);

public enum StatusOutcome
{
    Change,
    AlreadyInRequestedState,
    Refuse,
}

/// <summary>
/// The certificate status rules (docs/ARCHITECTURE.md §2), pure: only a hold can be lifted; a permanent revocation wins over
/// a hold; a revoked certificate cannot be put on hold; releasing a certificate that is not held is refused.
/// </summary>
/// <remarks>
/// Unlike the key policy these stay with the CA: they are how any CA keeps the status of what it signed (a CMP
/// client meets them without the RA in front), not a decision the RA makes about an application.
/// </remarks>
public static class RevocationRules
{
    public static StatusDecision Decide(CertificateStatus current, StatusRequest request) => (current, request) switch
    {
        (CertificateStatus.Active, StatusRequest.Revoke) => Change(CertificateStatus.Revoked, "revoked"),
        (CertificateStatus.Held, StatusRequest.Revoke) => Change(CertificateStatus.Revoked, "the hold becomes a permanent revocation"),
        (CertificateStatus.Revoked, StatusRequest.Revoke) =>
            new(StatusOutcome.AlreadyInRequestedState, current, CmpFailureInfo.CertRevoked, "the certificate is already revoked"),

        (CertificateStatus.Active, StatusRequest.Hold) => Change(CertificateStatus.Held, "put on hold"),
        (CertificateStatus.Held, StatusRequest.Hold) =>
            new(StatusOutcome.AlreadyInRequestedState, current, CmpFailureInfo.CertRevoked, "the certificate is already on hold"),
        (CertificateStatus.Revoked, StatusRequest.Hold) =>
            Refuse(current, CmpFailureInfo.CertRevoked, "a revoked certificate cannot be put on hold"),

        (CertificateStatus.Held, StatusRequest.Release) => Change(CertificateStatus.Active, "hold released"),
        (CertificateStatus.Active, StatusRequest.Release) =>
            Refuse(current, CmpFailureInfo.BadRequest, "the certificate is not on hold, so there is no hold to release"),
        (CertificateStatus.Revoked, StatusRequest.Release) =>
            Refuse(current, CmpFailureInfo.CertRevoked, "a permanent revocation cannot be released"),

        _ => throw new ArgumentOutOfRangeException(nameof(request), $"{current}/{request}"),
    };

    /// <summary>Maps a CRL reason code as CMP carries it (6 hold, 8 removeFromCRL, the rest revoke) to a request.</summary>
    public static StatusRequest RequestFor(RevocationReason reason) => reason switch
    {
        RevocationReason.CertificateHold => StatusRequest.Hold,
        RevocationReason.RemoveFromCrl => StatusRequest.Release,
        _ => StatusRequest.Revoke,
    };

    private static StatusDecision Change(CertificateStatus to, string text) => new(StatusOutcome.Change, to, CmpFailureInfo.None, text);

    private static StatusDecision Refuse(CertificateStatus current, CmpFailureInfo info, string text) => new(StatusOutcome.Refuse, current, info, text);
}
