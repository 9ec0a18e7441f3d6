namespace RaServer.Policy;

/// <summary>The notices the RA e-mails during the procedure; stored in mail_outbox.kind by <see cref="NoticeKinds.Code"/>.</summary>
public enum NoticeKind
{
    PaymentSlipIssued,
    PaymentReceived,
    CancelledForNonPayment,
    ApplicationRejected,
    CertificateReady,
    CertificateStatusChanged,
    CertificateExpiring,
    ApplicationFailed,
}

public static class NoticeKinds
{
    /// <summary>
    /// The stable text stored in mail_outbox.kind. Spelled out rather than taken from the enum's names so that
    /// renaming a C# member never changes what operators query for.
    /// </summary>
    public static string Code(NoticeKind kind) => kind switch
    {
        NoticeKind.PaymentSlipIssued => "PAYMENT_SLIP_ISSUED",
        NoticeKind.PaymentReceived => "PAYMENT_RECEIVED",
        NoticeKind.CancelledForNonPayment => "CANCELLED_FOR_NON_PAYMENT",
        NoticeKind.ApplicationRejected => "APPLICATION_REJECTED",
        NoticeKind.CertificateReady => "CERTIFICATE_READY",
        NoticeKind.CertificateStatusChanged => "CERTIFICATE_STATUS_CHANGED",
        NoticeKind.CertificateExpiring => "CERTIFICATE_EXPIRING",
        NoticeKind.ApplicationFailed => "APPLICATION_FAILED",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown notice kind."),
    };
}
