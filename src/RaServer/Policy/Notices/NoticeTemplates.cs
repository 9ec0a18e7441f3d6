using System.Globalization;
using System.Text;

namespace RaServer.Policy;

/// <summary>A notice ready to be mailed: one subject and one plain-text body carrying both languages.</summary>
public sealed record RenderedNotice(string Subject, string Body);

/// <summary>
/// Turns notice data into the text the applicant reads: Traditional Chinese (zh-TW) first, the English version below
/// it in the same message, because applicants' staff and their foreign partners both read these. Pure code, no I/O.
/// </summary>
public static class NoticeTemplates
{
    private const string SubjectPrefix = "【通關專屬憑證】";
    private const string Separator = "----------------------------------------";
    private const string ZhFooter = "本郵件由系統自動發送，請勿直接回覆。";
    private const string EnFooter = "This message was sent automatically; please do not reply.";

    public static RenderedNotice Render(NoticeData data) => data switch
    {
        PaymentSlipIssuedNotice n => Compose(
            "繳費單已開立", "Payment slip issued",
            [
                $"您的通關專屬憑證申請案（案號 {n.ApplicationId}）已核准，繳費單已開立。",
                $"  繳費單號：{n.SlipNumber}",
                $"  金額：新臺幣 {Amount(n.AmountNtd)} 元",
                $"  繳費期限：{Date(n.DueDate)}",
                "請於期限內繳費；逾期申請案即取消，繳費單作廢，不再受理繳費。",
            ],
            [
                $"Your application {n.ApplicationId} for a customs-dedicated certificate has been approved and a payment slip issued.",
                $"  Slip number: {n.SlipNumber}",
                $"  Amount: NT${Amount(n.AmountNtd)}",
                $"  Due date: {Date(n.DueDate)}",
                "Please pay by the due date. After it the application is cancelled, the slip is void and payment is no longer accepted.",
            ]),

        PaymentReceivedNotice n => Compose(
            "已收到繳費，請上線產製金鑰", "Payment received: generate your key pair",
            [
                $"已收到申請案（案號 {n.ApplicationId}）繳費單 {n.SlipNumber} 之款項。",
                "請登入關港貿單一窗口，產製金鑰對並送出憑證申請檔（CSR），憑證將即時簽發。",
            ],
            [
                $"Payment for slip {n.SlipNumber} of application {n.ApplicationId} has been received.",
                "Please sign in to the Single Window, generate your key pair and submit the certificate request (CSR); the certificate is issued at once.",
            ]),

        CancelledForNonPaymentNotice n => Compose(
            "逾期未繳費，申請案已取消", "Application cancelled: payment not received",
            [
                $"申請案（案號 {n.ApplicationId}）之繳費單 {n.SlipNumber} 已逾繳費期限 {Date(n.DueDate)}，申請案已取消，繳費單作廢，不再受理繳費。",
                "如仍需要憑證，請重新提出申請。",
            ],
            [
                $"Slip {n.SlipNumber} of application {n.ApplicationId} was not paid by {Date(n.DueDate)}. The application is cancelled, the slip is void and payment is no longer accepted.",
                "If you still need a certificate, please apply again.",
            ]),

        ApplicationRejectedNotice n => Compose(
            "申請案已駁回", "Application rejected",
            [$"您的申請案（案號 {n.ApplicationId}）已駁回，原因如下：", .. Bullets(n.Reasons), "請更正後重新提出申請。"],
            [$"Your application {n.ApplicationId} has been rejected for these reasons:", .. Bullets(n.Reasons), "Please correct them and apply again."]),

        CertificateReadyNotice n => Compose(
            "憑證已簽發，請下載並註冊", "Certificate ready: download and register it",
            [
                $"申請案（案號 {n.ApplicationId}）之憑證已簽發，序號 {n.CertificateSerial}。",
                "請登入關港貿單一窗口下載並備份憑證，於註冊頁面註冊憑證，並於業者即用系統之外掛設定檔設定憑證位置。",
            ],
            [
                $"The certificate for application {n.ApplicationId} has been issued, serial number {n.CertificateSerial}.",
                "Please sign in to the Single Window, download and back up the certificate, register it on the registration page, and set its location in the plug-in configuration file of your ready-to-use system.",
            ]),

        ApplicationFailedNotice n => Compose(
            "申請案處理失敗", "Application failed",
            [
                $"您的申請案（案號 {n.ApplicationId}）未能完成，憑證未簽發。",
                $"  原因代碼：{n.ReasonCode}",
                "如需協助，請將案號及原因代碼提供予客服；如仍需要憑證，請重新提出申請。",
            ],
            [
                $"Your application {n.ApplicationId} could not be completed and no certificate was issued.",
                $"  Reason code: {n.ReasonCode}",
                "If you need help, please give the application number and reason code to the help desk; if you still need a certificate, please apply again.",
            ]),

        CertificateStatusChangedNotice n => Compose(
            $"憑證已{StatusZh(n.Change)}", $"Certificate {StatusEn(n.Change)}",
            [$"依申請案（案號 {n.ApplicationId}），序號 {n.CertificateSerial} 之憑證已{StatusZh(n.Change)}。", StatusConsequenceZh(n.Change)],
            [$"Following application {n.ApplicationId}, the certificate with serial number {n.CertificateSerial} has been {StatusEn(n.Change)}.", StatusConsequenceEn(n.Change)]),

        CertificateExpiringNotice n => Compose(
            "憑證即將到期", "Certificate expires soon",
            [
                $"序號 {n.CertificateSerial} 之憑證將於 {Date(n.ExpiryDate)} 到期。",
                "請於到期前申請展期，以免影響通關作業。已申請展期者請忽略本通知。",
            ],
            [
                $"The certificate with serial number {n.CertificateSerial} expires on {Date(n.ExpiryDate)}.",
                "Please apply for renewal before then so your customs messaging is not interrupted. If you have already renewed, please ignore this notice.",
            ]),

        _ => throw new ArgumentOutOfRangeException(nameof(data), data.GetType().Name, "No template for this notice."),
    };

    private static RenderedNotice Compose(string zhSubject, string enSubject, IEnumerable<string> zhLines, IEnumerable<string> enLines)
    {
        var body = new StringBuilder()
            .AppendLine("您好：").AppendLine();
        foreach (var line in zhLines)
            body.AppendLine(line);
        body.AppendLine().AppendLine(ZhFooter).AppendLine().AppendLine(Separator)
            .AppendLine("Hello,").AppendLine();
        foreach (var line in enLines)
            body.AppendLine(line);
        body.AppendLine().AppendLine(EnFooter);
        return new RenderedNotice($"{SubjectPrefix}{zhSubject} / {enSubject}", body.ToString());
    }

    private static IEnumerable<string> Bullets(IReadOnlyList<string> items) => items.Select(item => $"  - {item}");

    private static string Amount(long ntd) => ntd.ToString("N0", CultureInfo.InvariantCulture);

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string StatusZh(CertificateStatusChange change) => change switch
    {
        CertificateStatusChange.Suspended => "暫禁",
        CertificateStatusChange.Unsuspended => "解禁",
        CertificateStatusChange.Revoked => "註銷",
        _ => throw new ArgumentOutOfRangeException(nameof(change), change, null),
    };

    private static string StatusEn(CertificateStatusChange change) => change switch
    {
        CertificateStatusChange.Suspended => "suspended",
        CertificateStatusChange.Unsuspended => "unsuspended",
        CertificateStatusChange.Revoked => "revoked",
        _ => throw new ArgumentOutOfRangeException(nameof(change), change, null),
    };

    private static string StatusConsequenceZh(CertificateStatusChange change) => change switch
    {
        CertificateStatusChange.Suspended => "暫禁期間以此憑證簽章之訊息將不被接受；如需恢復使用，請申請解禁。",
        CertificateStatusChange.Unsuspended => "此憑證已自憑證廢止清冊移除，可恢復使用。",
        CertificateStatusChange.Revoked => "註銷無法回復，以此憑證簽章之訊息將不再被接受；如仍需要憑證，請重新申請。",
        _ => throw new ArgumentOutOfRangeException(nameof(change), change, null),
    };

    private static string StatusConsequenceEn(CertificateStatusChange change) => change switch
    {
        CertificateStatusChange.Suspended => "While it is suspended, messages signed with it are not accepted; apply for unsuspension to use it again.",
        CertificateStatusChange.Unsuspended => "It has been removed from the certificate revocation list and may be used again.",
        CertificateStatusChange.Revoked => "Revocation is final and messages signed with it are no longer accepted; apply for a new certificate if you still need one.",
        _ => throw new ArgumentOutOfRangeException(nameof(change), change, null),
    };
}
