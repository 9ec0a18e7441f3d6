using System.Globalization;

namespace RaServer.Policy;

/// <summary>
/// What one notice says, typed per kind. Each kind also decides its dedup key: the fact that may be announced
/// only once (one "slip issued" per application, one expiry notice per certificate and ISO week).
/// </summary>
public abstract record NoticeData
{
    public abstract NoticeKind Kind { get; }

    /// <summary>The value of mail_outbox.dedup_key; a second enqueue with the same key adds nothing.</summary>
    public abstract string DedupKey { get; }
}

/// <summary>A NEW or RENEW application was approved and its payment slip issued.</summary>
public sealed record PaymentSlipIssuedNotice(string ApplicationId, string SlipNumber, long AmountNtd, DateOnly DueDate) : NoticeData
{
    public override NoticeKind Kind => NoticeKind.PaymentSlipIssued;
    public override string DedupKey => $"payment-slip-issued:{ApplicationId}";
}

/// <summary>The fee system confirmed payment: the applicant should come online and generate its key pair.</summary>
public sealed record PaymentReceivedNotice(string ApplicationId, string SlipNumber) : NoticeData
{
    public override NoticeKind Kind => NoticeKind.PaymentReceived;
    public override string DedupKey => $"payment-received:{ApplicationId}";
}

/// <summary>The slip was not paid by its due date: the application is cancelled and the slip void.</summary>
public sealed record CancelledForNonPaymentNotice(string ApplicationId, string SlipNumber, DateOnly DueDate) : NoticeData
{
    public override NoticeKind Kind => NoticeKind.CancelledForNonPayment;
    public override string DedupKey => $"cancelled-for-non-payment:{ApplicationId}";
}

/// <summary>The application was rejected; <see cref="Reasons"/> are shown to the applicant one per line, as given.</summary>
public sealed record ApplicationRejectedNotice(string ApplicationId, IReadOnlyList<string> Reasons) : NoticeData
{
    public override NoticeKind Kind => NoticeKind.ApplicationRejected;
    public override string DedupKey => $"application-rejected:{ApplicationId}";
}

/// <summary>The CA issued the certificate: download it, back it up and register it.</summary>
public sealed record CertificateReadyNotice(string ApplicationId, string CertificateSerial) : NoticeData
{
    public override NoticeKind Kind => NoticeKind.CertificateReady;
    public override string DedupKey => $"certificate-ready:{ApplicationId}";
}

/// <summary>
/// The application ended FAILED after approval (the CA refused it, or it could not be sent). <see cref="ReasonCode"/>
/// is a stable code such as CA_REFUSED:BadCertTemplate, never the CA's own text: that text is free-form, may be in
/// any language and may describe the CA's internals, so it goes to the log and the application's failure detail only.
/// </summary>
public sealed record ApplicationFailedNotice(string ApplicationId, string ReasonCode) : NoticeData
{
    public override NoticeKind Kind => NoticeKind.ApplicationFailed;
    public override string DedupKey => $"application-failed:{ApplicationId}";
}

/// <summary>A certificate's status changed; what it became.</summary>
public enum CertificateStatusChange
{
    Suspended,
    Unsuspended,
    Revoked,
}

/// <summary>
/// A REVOKE, SUSPEND or UNSUSPEND request (<see cref="ApplicationId"/>) took effect. Keyed by the request, not the
/// certificate, because one certificate may be suspended and unsuspended many times.
/// </summary>
public sealed record CertificateStatusChangedNotice(string ApplicationId, string CertificateSerial, CertificateStatusChange Change) : NoticeData
{
    public override NoticeKind Kind => NoticeKind.CertificateStatusChanged;
    public override string DedupKey => $"certificate-status-changed:{ApplicationId}";
}

/// <summary>
/// The weekly notice that an active certificate expires soon. <see cref="WeekOf"/> is any day of the week the
/// notifier runs for; the dedup key uses its ISO week, so a second run in the same week (another replica, a
/// restart) adds nothing and next week's run notifies again.
/// </summary>
public sealed record CertificateExpiringNotice(string CertificateSerial, DateOnly ExpiryDate, DateOnly WeekOf) : NoticeData
{
    public override NoticeKind Kind => NoticeKind.CertificateExpiring;

    public override string DedupKey
    {
        get
        {
            var day = WeekOf.ToDateTime(TimeOnly.MinValue);
            return string.Create(CultureInfo.InvariantCulture,
                $"certificate-expiring:{CertificateSerial}:{ISOWeek.GetYear(day)}-W{ISOWeek.GetWeekOfYear(day):D2}");
        }
    }
}
