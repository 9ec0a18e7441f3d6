using MimeKit;
using RaServer.Hosting;
using RaServer.Policy;
using RaServer.Storage;
using RaServer.Workers;
using RaServer.Tests.Fixtures;

namespace RaServer.Tests.Mail;

/// <summary>Delivery through MailKit to a real SMTP server (aiosmtpd), one server per test so stopping it is safe.</summary>
public sealed class SmtpDeliveryTests(PostgresFixture pg) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private readonly SmtpServerFixture _smtp = new();

    public Task InitializeAsync() => _smtp.StartAsync();

    public Task DisposeAsync() => _smtp.DisposeAsync();

    [Fact]
    public async Task Every_kind_of_notice_arrives_with_its_recipient_its_encoded_subject_and_both_languages()
    {
        await using var bed = await MailTestBed.CreateAsync(pg, MailTestBed.SmtpOptions(_smtp));
        var notices = SampleNotices.OneOfEachKind().Select(data => MailNotice.Create(SampleNotices.RecipientFor(data), data)).ToList();
        foreach (var notice in notices)
            Assert.True(await bed.EnqueueAsync(notice));

        var result = await bed.NewSmtpSender().RunOnceAsync(CancellationToken.None);

        Assert.True(result == new MailRunResult(notices.Count, 0), $"{result}; errors: {await ErrorsAsync(bed)}");
        var delivered = _smtp.DeliveredMessages();
        Assert.Equal(notices.Count, delivered.Count);
        foreach (var notice in notices)
        {
            var message = Assert.Single(delivered, m => m.Headers[OutboxMessage.KindHeader] == NoticeKinds.Code(notice.Kind));
            Assert.Equal(notice.Recipient, Assert.Single(message.To.Mailboxes).Address);
            Assert.Equal(notice.Recipient, message.Headers["X-RcptTo"]); // the SMTP envelope, not just the header
            Assert.Equal(notice.Subject, message.Subject);
            // The Chinese subject crossed the wire RFC 2047-encoded, not as raw 8-bit bytes.
            Assert.StartsWith("=?utf-8?", RawSubject(message), StringComparison.OrdinalIgnoreCase);
            var text = message.TextBody ?? "";
            Assert.Equal(notice.Body.ReplaceLineEndings("\n"), text.ReplaceLineEndings("\n"));
            Assert.Contains("您好：", text);
            Assert.Contains("Hello,", text);
            Assert.Equal("關港貿單一窗口通關專屬憑證註冊中心", Assert.Single(message.From.Mailboxes).Name);
        }
    }

    [Fact]
    public async Task While_the_smtp_server_is_down_notices_stay_queued_with_backoff_and_once_it_is_back_each_arrives_exactly_once()
    {
        await using var bed = await MailTestBed.CreateAsync(pg, MailTestBed.SmtpOptions(_smtp));
        var notices = SampleNotices.OneOfEachKind().Take(3).Select(data => MailNotice.Create(SampleNotices.RecipientFor(data), data)).ToList();
        foreach (var notice in notices)
            await bed.EnqueueAsync(notice);
        var sender = bed.NewSmtpSender();
        _smtp.Stop();

        Assert.Equal(new MailRunResult(0, 3), await sender.RunOnceAsync(CancellationToken.None));
        Assert.All(await bed.RowsAsync(), row =>
        {
            Assert.Null(row.SentAt);
            Assert.Equal(1, row.Attempts);
            Assert.Equal((MailTestBed.Start + TimeSpan.FromSeconds(30)).UtcDateTime, row.NextAttemptAt);
            Assert.False(string.IsNullOrEmpty(row.LastError));
        });

        // Not due yet: a run before the backoff ends does not touch them.
        Assert.Equal(new MailRunResult(0, 0), await sender.RunOnceAsync(CancellationToken.None));

        bed.Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(new MailRunResult(0, 3), await sender.RunOnceAsync(CancellationToken.None));
        Assert.All(await bed.RowsAsync(), row =>
        {
            Assert.Equal(2, row.Attempts);
            Assert.Equal((bed.Clock.GetUtcNow() + TimeSpan.FromSeconds(60)).UtcDateTime, row.NextAttemptAt);
        });

        await _smtp.StartAsync();
        bed.Clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(new MailRunResult(3, 0), await sender.RunOnceAsync(CancellationToken.None));
        Assert.Equal(new MailRunResult(0, 0), await sender.RunOnceAsync(CancellationToken.None));

        var rows = await bed.RowsAsync();
        Assert.All(rows, row =>
        {
            Assert.NotNull(row.SentAt);
            Assert.Equal(3, row.Attempts);
            Assert.Null(row.LastError);
        });
        var deliveredIds = _smtp.DeliveredMessages().Select(m => m.MessageId ?? "(none)").Order().ToList();
        Assert.Equal(rows.Select(r => r.MessageId).Order().ToList(), deliveredIds);
    }

    [Fact]
    public async Task Two_senders_on_one_database_running_at_once_deliver_each_notice_exactly_once()
    {
        var options = MailTestBed.SmtpOptions(_smtp);
        options.BatchSize = 3;
        await using var bed = await MailTestBed.CreateAsync(pg, options);
        const int count = 40;
        for (var i = 0; i < count; i++)
            await bed.EnqueueAsync(MailNotice.Create($"holder{i}@broker.test",
                new CertificateExpiringNotice($"SERIAL{i:D3}", new DateOnly(2025, 3, 28), SampleNotices.Week)));
        var first = bed.NewSmtpSender();
        var second = bed.NewSmtpSender();

        var results = await Task.WhenAll(
            Task.Run(() => first.RunOnceAsync(CancellationToken.None)),
            Task.Run(() => second.RunOnceAsync(CancellationToken.None)));

        Assert.Equal(count, results.Sum(r => r.Sent));
        Assert.All(results, r => Assert.Equal(0, r.Failed));
        var delivered = _smtp.DeliveredMessages();
        Assert.Equal(count, delivered.Count);
        Assert.Equal(count, delivered.Select(m => m.MessageId).Distinct().Count());
        Assert.All(await bed.RowsAsync(), row => Assert.Equal(1, row.Attempts));
    }

    private static async Task<string> ErrorsAsync(MailTestBed bed) =>
        string.Join(" | ", (await bed.RowsAsync()).Select(r => r.LastError).Distinct());

    private static string RawSubject(MimeMessage message) =>
        System.Text.Encoding.ASCII.GetString(message.Headers.First(h => h.Id == HeaderId.Subject).RawValue).Trim();
}
