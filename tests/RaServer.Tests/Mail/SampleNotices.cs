using RaServer.Hosting;
using RaServer.Policy;
using RaServer.Storage;
using RaServer.Workers;

namespace RaServer.Tests.Mail;

/// <summary>One notice of every kind, with the fixture data of docs/DOMAIN.md.</summary>
internal static class SampleNotices
{
    public static readonly DateOnly Week = new(2025, 3, 3);

    public static IReadOnlyList<NoticeData> OneOfEachKind(string suffix = "") =>
    [
        new PaymentSlipIssuedNotice($"APP-0001{suffix}", "SLIP-2025-000123", 1000, new DateOnly(2025, 3, 17)),
        new PaymentReceivedNotice($"APP-0002{suffix}", "SLIP-2025-000124"),
        new CancelledForNonPaymentNotice($"APP-0003{suffix}", "SLIP-2025-000125", new DateOnly(2025, 3, 1)),
        new ApplicationRejectedNotice($"APP-0004{suffix}", ["統一編號與預報系統資料不符 / UBN does not match the customs registry", "Applicant is not a licensed operator"]),
        new CertificateReadyNotice($"APP-0005{suffix}", "4F2A9C01"),
        new CertificateStatusChangedNotice($"APP-0006{suffix}", "4F2A9C02", CertificateStatusChange.Suspended),
        new CertificateExpiringNotice($"4F2A9C03{suffix}", new DateOnly(2025, 3, 28), Week),
        new ApplicationFailedNotice($"APP-0007{suffix}", "CA_REFUSED:BadCertTemplate"),
    ];

    /// <summary>A distinct recipient per notice, so a test can tell which message went where.</summary>
    public static string RecipientFor(NoticeData data) => $"{data.Kind.ToString().ToLowerInvariant()}@broker.test";
}
