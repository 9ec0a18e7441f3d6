using RaServer.Hosting;
using RaServer.Policy;
using RaServer.Storage;
using RaServer.Workers;

namespace RaServer.Tests.Mail;

public sealed class NoticeTemplatesTests
{
    private const string Separator = "----------------------------------------";

    /// <summary>Notice, then text its subject must hold, then lines its zh-TW part and its English part must hold.</summary>
    public static TheoryData<NoticeData, string[], string[], string[]> Cases => new()
    {
        {
            new PaymentSlipIssuedNotice("APP-1", "SLIP-9", 1000, new DateOnly(2025, 3, 17)),
            ["繳費單已開立", "Payment slip issued"],
            ["APP-1", "繳費單號：SLIP-9", "新臺幣 1,000 元", "繳費期限：2025-03-17", "逾期"],
            ["APP-1", "Slip number: SLIP-9", "NT$1,000", "Due date: 2025-03-17", "no longer accepted"]
        },
        {
            new PaymentReceivedNotice("APP-2", "SLIP-8"),
            ["已收到繳費", "Payment received"],
            ["SLIP-8", "產製金鑰對"],
            ["SLIP-8", "generate your key pair"]
        },
        {
            new CancelledForNonPaymentNotice("APP-3", "SLIP-7", new DateOnly(2025, 2, 28)),
            ["申請案已取消", "Application cancelled"],
            ["SLIP-7", "2025-02-28", "繳費單作廢"],
            ["SLIP-7", "2025-02-28", "the slip is void"]
        },
        {
            new ApplicationRejectedNotice("APP-4", ["Registry mismatch", "Not licensed"]),
            ["駁回", "rejected"],
            ["APP-4", "  - Registry mismatch", "  - Not licensed"],
            ["APP-4", "  - Registry mismatch", "  - Not licensed"]
        },
        {
            new CertificateReadyNotice("APP-5", "ABC123"),
            ["憑證已簽發", "download and register"],
            ["ABC123", "下載並備份", "註冊頁面", "外掛設定檔"],
            ["ABC123", "download and back up", "registration page", "plug-in configuration file"]
        },
        {
            new CertificateStatusChangedNotice("APP-6", "ABC124", CertificateStatusChange.Suspended),
            ["憑證已暫禁", "Certificate suspended"],
            ["ABC124", "已暫禁", "申請解禁"],
            ["ABC124", "has been suspended", "unsuspension"]
        },
        {
            new CertificateStatusChangedNotice("APP-7", "ABC125", CertificateStatusChange.Unsuspended),
            ["憑證已解禁", "Certificate unsuspended"],
            ["ABC125", "已解禁", "廢止清冊移除"],
            ["ABC125", "has been unsuspended", "may be used again"]
        },
        {
            new CertificateStatusChangedNotice("APP-8", "ABC126", CertificateStatusChange.Revoked),
            ["憑證已註銷", "Certificate revoked"],
            ["ABC126", "已註銷", "無法回復"],
            ["ABC126", "has been revoked", "final"]
        },
        {
            new CertificateExpiringNotice("ABC127", new DateOnly(2025, 4, 1), new DateOnly(2025, 3, 5)),
            ["即將到期", "expires soon"],
            ["ABC127", "2025-04-01 到期", "展期"],
            ["ABC127", "expires on 2025-04-01", "renewal"]
        },
        {
            new ApplicationFailedNotice("APP-9", "CA_REFUSED:BadCertTemplate"),
            ["處理失敗", "Application failed"],
            ["APP-9", "原因代碼：CA_REFUSED:BadCertTemplate", "憑證未簽發", "重新提出申請"],
            ["APP-9", "Reason code: CA_REFUSED:BadCertTemplate", "no certificate was issued", "apply again"]
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_notice_has_a_bilingual_subject_and_the_chinese_text_above_the_english(
        NoticeData data, string[] subjectParts, string[] chineseParts, string[] englishParts)
    {
        var rendered = NoticeTemplates.Render(data);

        Assert.StartsWith("【通關專屬憑證】", rendered.Subject);
        Assert.All(subjectParts, part => Assert.Contains(part, rendered.Subject));
        var halves = rendered.Body.Split(Separator);
        Assert.Equal(2, halves.Length);
        Assert.StartsWith("您好：", halves[0]);
        Assert.Contains("Hello,", halves[1]);
        Assert.All(chineseParts, part => Assert.Contains(part, halves[0]));
        Assert.All(englishParts, part => Assert.Contains(part, halves[1]));
    }

    [Fact]
    public void The_english_half_holds_no_chinese_text_of_its_own()
    {
        var rendered = NoticeTemplates.Render(new PaymentSlipIssuedNotice("APP-1", "SLIP-9", 420, new DateOnly(2025, 3, 17)));

        var english = rendered.Body.Split(Separator)[1];
        Assert.DoesNotContain(english, c => c is >= '\u4e00' and <= '\u9fff');
    }

    [Theory]
    [InlineData("2025-03-03", "2025-03-09", true)]   // Monday and Sunday of ISO week 10
    [InlineData("2025-03-09", "2025-03-10", false)]  // Sunday, then the next Monday
    [InlineData("2024-12-30", "2025-01-05", true)]   // ISO week 2025-W01 spans the new year
    public void Expiry_notices_share_a_dedup_key_exactly_when_they_fall_in_the_same_iso_week(string day1, string day2, bool same)
    {
        var expiry = new DateOnly(2025, 4, 1);
        var first = new CertificateExpiringNotice("ABC", expiry, DateOnly.Parse(day1)).DedupKey;
        var second = new CertificateExpiringNotice("ABC", expiry, DateOnly.Parse(day2)).DedupKey;

        Assert.Equal(same, first == second);
    }

    [Fact]
    public void Expiry_notices_for_two_certificates_in_one_week_have_different_dedup_keys() =>
        Assert.NotEqual(
            new CertificateExpiringNotice("ABC", new DateOnly(2025, 4, 1), SampleNotices.Week).DedupKey,
            new CertificateExpiringNotice("ABD", new DateOnly(2025, 4, 1), SampleNotices.Week).DedupKey);

    [Fact]
    public void Every_kind_of_notice_has_its_own_dedup_key_for_one_application()
    {
        var keys = SampleNotices.OneOfEachKind().Select(n => n.DedupKey.Split(':')[0]).ToList();

        Assert.Equal(keys.Count, keys.Distinct().Count());
    }

    [Fact]
    public void A_recipient_that_is_not_an_e_mail_address_is_refused_at_enqueue_time() =>
        Assert.Throws<ArgumentException>(() => MailNotice.Create("not an address", new PaymentReceivedNotice("APP-1", "SLIP-1")));
}
