using Microsoft.Extensions.Options;
using MimeKit;
using RaServer.Hosting;
using RaServer.Policy;
using RaServer.Storage;
using RaServer.Workers;
using RaServer.Tests.DevPkiTests;
using RaServer.Tests.Fixtures;

namespace RaServer.Tests.Mail;

public sealed class MailOutboxTests(PostgresFixture pg) : IClassFixture<PostgresFixture>, IDisposable
{
    private readonly TempFolder _pickup = new();

    private MailOptions PickupOptions() => new() { PickupFolder = _pickup.Path, FromAddress = "ra-noreply@ra.test" };

    private string[] PickedUpFiles() => Directory.GetFiles(_pickup.Path, "*.eml");

    [Fact]
    public async Task A_second_enqueue_with_the_same_dedup_key_adds_nothing()
    {
        await using var bed = await MailTestBed.CreateAsync(pg, PickupOptions());
        var notice = MailNotice.Create("broker@broker.test", new PaymentSlipIssuedNotice("APP-1", "SLIP-1", 1000, new DateOnly(2025, 3, 17)));

        Assert.True(await bed.EnqueueAsync(notice));
        Assert.False(await bed.EnqueueAsync(notice with { Recipient = "someone-else@broker.test" }));

        var row = Assert.Single(await bed.RowsAsync());
        Assert.Equal("payment-slip-issued:APP-1", row.DedupKey);
        Assert.Equal("PAYMENT_SLIP_ISSUED", row.Kind);
    }

    [Fact]
    public async Task A_weekly_expiry_notice_is_enqueued_once_per_certificate_and_week()
    {
        await using var bed = await MailTestBed.CreateAsync(pg, PickupOptions());
        MailNotice Expiry(DateOnly runDay) =>
            MailNotice.Create("holder@broker.test", new CertificateExpiringNotice("4F2A", new DateOnly(2025, 3, 28), runDay));

        Assert.True(await bed.EnqueueAsync(Expiry(new DateOnly(2025, 3, 3))));
        Assert.False(await bed.EnqueueAsync(Expiry(new DateOnly(2025, 3, 7))));
        Assert.True(await bed.EnqueueAsync(Expiry(new DateOnly(2025, 3, 10))));

        Assert.Equal(2, (await bed.RowsAsync()).Count);
    }

    [Fact]
    public async Task A_notice_enqueued_in_a_transaction_that_rolls_back_is_never_sent()
    {
        await using var bed = await MailTestBed.CreateAsync(pg, PickupOptions());
        var sender = bed.NewSender(new PickupFolderTransport(Options.Create(bed.Options)));
        await using (var uow = await bed.Units.BeginAsync(CancellationToken.None))
        {
            var added = await uow.Mail.EnqueueAsync(
                MailNotice.Create("broker@broker.test", new PaymentReceivedNotice("APP-1", "SLIP-1")), CancellationToken.None);
            Assert.True(added);
            // disposed without a commit: rolled back
        }

        var result = await sender.RunOnceAsync(CancellationToken.None);

        Assert.Equal(new MailRunResult(0, 0), result);
        Assert.Empty(await bed.RowsAsync());
        Assert.Empty(PickedUpFiles());
    }

    [Fact]
    public async Task The_pickup_transport_writes_a_parseable_eml_file_with_both_languages_and_the_stored_message_id()
    {
        await using var bed = await MailTestBed.CreateAsync(pg, PickupOptions());
        var notice = MailNotice.Create("broker@broker.test", new PaymentSlipIssuedNotice("APP-1", "SLIP-1", 1000, new DateOnly(2025, 3, 17)));
        await bed.EnqueueAsync(notice);

        var result = await bed.NewSender(new PickupFolderTransport(Options.Create(bed.Options))).RunOnceAsync(CancellationToken.None);

        Assert.Equal(new MailRunResult(1, 0), result);
        var message = MimeMessage.Load(Assert.Single(PickedUpFiles()));
        var row = Assert.Single(await bed.RowsAsync());
        Assert.Equal(row.MessageId, message.MessageId);
        Assert.Equal(MailTestBed.Start.UtcDateTime, row.SentAt);
        Assert.Equal(1, row.Attempts);
        Assert.Equal("broker@broker.test", Assert.Single(message.To.Mailboxes).Address);
        Assert.Equal("ra-noreply@ra.test", Assert.Single(message.From.Mailboxes).Address);
        Assert.Equal(notice.Subject, message.Subject);
        Assert.Equal(notice.Body.ReplaceLineEndings("\n"), message.TextBody?.ReplaceLineEndings("\n"));
        Assert.Contains("新臺幣 1,000 元", message.TextBody);
        Assert.Contains("NT$1,000", message.TextBody);
    }

    [Fact]
    public async Task A_notice_sent_but_not_recorded_before_a_crash_is_sent_again_with_the_same_message_id()
    {
        await using var bed = await MailTestBed.CreateAsync(pg, PickupOptions());
        await bed.EnqueueAsync(MailNotice.Create("broker@broker.test", new CertificateReadyNotice("APP-1", "4F2A")));
        var pickup = new PickupFolderTransport(Options.Create(bed.Options));
        using var crash = new CancellationTokenSource();

        // The message leaves, then the process "dies" before its transaction commits sent_at.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            bed.NewSender(new CrashAfterSendTransport(pickup, crash)).RunOnceAsync(crash.Token));
        var firstId = MimeMessage.Load(Assert.Single(PickedUpFiles())).MessageId;
        Assert.Null(Assert.Single(await bed.RowsAsync()).SentAt);

        var result = await bed.NewSender(pickup).RunOnceAsync(CancellationToken.None);

        Assert.Equal(new MailRunResult(1, 0), result);
        Assert.Equal(firstId, MimeMessage.Load(Assert.Single(PickedUpFiles())).MessageId);
        Assert.NotNull(Assert.Single(await bed.RowsAsync()).SentAt);
    }

    [Fact]
    public async Task The_sender_running_as_a_hosted_service_delivers_a_notice_without_being_asked()
    {
        var options = PickupOptions();
        options.PollInterval = TimeSpan.FromMilliseconds(50);
        await using var bed = await MailTestBed.CreateAsync(pg, options);
        var sender = bed.NewSender(new PickupFolderTransport(Options.Create(options)), TimeProvider.System);
        await sender.StartAsync(CancellationToken.None);
        try
        {
            await bed.EnqueueAsync(MailNotice.Create("broker@broker.test", new PaymentReceivedNotice("APP-1", "SLIP-1")));

            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (PickedUpFiles().Length == 0 && DateTime.UtcNow < deadline)
                await Task.Delay(50);
        }
        finally
        {
            await sender.StopAsync(CancellationToken.None);
        }

        Assert.Single(PickedUpFiles());
    }

    public void Dispose() => _pickup.Dispose();

    /// <summary>Delivers through the inner transport, then cancels the run as a process crash would end it.</summary>
    private sealed class CrashAfterSendTransport(IMailTransport inner, CancellationTokenSource crash) : IMailTransport
    {
        public async Task<IMailSession> OpenSessionAsync(CancellationToken ct) => new Session(await inner.OpenSessionAsync(ct), crash);

        private sealed class Session(IMailSession inner, CancellationTokenSource crash) : IMailSession
        {
            public async Task SendAsync(MimeMessage message, CancellationToken ct)
            {
                await inner.SendAsync(message, ct);
                await crash.CancelAsync();
            }

            public ValueTask DisposeAsync() => inner.DisposeAsync();
        }
    }
}
