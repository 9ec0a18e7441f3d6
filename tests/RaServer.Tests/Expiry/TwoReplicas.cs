using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using Npgsql;
using RaServer.Hosting;
using RaServer.Policy;
using RaServer.Storage;
using RaServer.Workers;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;

namespace RaServer.Tests.Expiry;

/// <summary>
/// Two RaServer replicas on one database and one fake clock, delivering to a real SMTP server. The clock starts a day
/// after a weekly slot (Monday 09:00 Taiwan time), so every test has six days before the next slot, <see cref="FirstSlot"/>.
/// </summary>
public sealed class TwoReplicas : IAsyncDisposable
{
    private static readonly ExpiryNotifierSchedule Schedule = new(DayOfWeek.Monday, new TimeOnly(9, 0));
    private readonly HashSet<string> _seenMessageIds = [];

    private readonly bool _ownsSmtp;

    private TwoReplicas(SmtpServerFixture smtp, bool ownsSmtp, RaServerHarness first, RaServerHarness second, DateTimeOffset firstSlot)
    {
        Smtp = smtp;
        _ownsSmtp = ownsSmtp;
        // On a server shared with earlier tests, what they received is not news to this one.
        foreach (var message in smtp.DeliveredMessages())
            _seenMessageIds.Add(message.MessageId ?? "");
        First = first;
        Second = second;
        FirstSlot = firstSlot;
        Certificates = new ExpiringCertificates(first.ConnectionString, first.Clock);
    }

    public SmtpServerFixture Smtp { get; }
    public RaServerHarness First { get; }
    public RaServerHarness Second { get; }
    public FakeTimeProvider Clock => First.Clock;
    public DateTimeOffset FirstSlot { get; }
    public ExpiringCertificates Certificates { get; }

    /// <param name="settings">ExpiryNotices settings for both replicas; by default their loops never tick on their own.</param>
    /// <param name="smtp">An SMTP server the test class shares (it stays up); by default one of their own.</param>
    public static async Task<TwoReplicas> StartAsync(
        PostgresFixture postgres, IReadOnlyDictionary<string, string>? settings = null, SmtpServerFixture? smtp = null)
    {
        var ownsSmtp = smtp is null;
        smtp ??= new SmtpServerFixture();
        await smtp.StartAsync();
        var previousSlot = Schedule.LatestSlotAtOrBefore(DateTimeOffset.UtcNow);
        var clock = new FakeTimeProvider(previousSlot.AddDays(1).ToUniversalTime());
        void Configure(Dictionary<string, string?> s)
        {
            // Longer than any test's walk through the weeks: these tests call RunOnceAsync themselves.
            s["ExpiryNotices:CheckInterval"] = "40.00:00:00";
            foreach (var (key, value) in settings ?? new Dictionary<string, string>())
                s[key] = value;
        }
        var first = await RaServerHarness.StartAsync(postgres, configure: Configure, clock: clock, smtp: smtp);
        var second = await RaServerHarness.StartAsync(postgres, configure: Configure, connectionString: first.ConnectionString, clock: clock, smtp: smtp);
        return new TwoReplicas(smtp, ownsSmtp, first, second, previousSlot.AddDays(7).ToUniversalTime());
    }

    public static ExpiryNotifier Notifier(RaServerHarness server) => server.Services.GetRequiredService<ExpiryNotifier>();

    /// <summary>The slot of week <paramref name="week"/> (1 = <see cref="FirstSlot"/>).</summary>
    public DateTimeOffset Slot(int week) => FirstSlot.AddDays(7 * (week - 1));

    /// <summary>Moves the shared clock forward to <paramref name="instant"/>.</summary>
    public void AdvanceTo(DateTimeOffset instant) => Clock.Advance(instant - Clock.GetUtcNow());

    /// <summary>Both replicas run the job at the same moment; returns how many notices they enqueued together.</summary>
    public async Task<int> RunOnBothAsync()
    {
        var counts = await Task.WhenAll(
            Task.Run(() => Notifier(First).RunOnceAsync(CancellationToken.None)),
            Task.Run(() => Notifier(Second).RunOnceAsync(CancellationToken.None)));
        return counts.Sum();
    }

    /// <summary>Both replicas' mail senders deliver what is queued; returns the messages the SMTP server received since the last call.</summary>
    public async Task<IReadOnlyList<MimeMessage>> DeliverAsync()
    {
        var results = await Task.WhenAll(
            First.Services.GetRequiredService<MailSender>().RunOnceAsync(CancellationToken.None),
            Second.Services.GetRequiredService<MailSender>().RunOnceAsync(CancellationToken.None));
        Assert.Equal(0, results.Sum(r => r.Failed));
        return Smtp.DeliveredMessages().Where(m => _seenMessageIds.Add(m.MessageId ?? throw new InvalidOperationException("The outbox gives every notice a Message-ID."))).ToList();
    }

    /// <summary>The holders (local part of the recipient) of <paramref name="messages"/>, sorted; repeats stay visible.</summary>
    public static IReadOnlyList<string> Holders(IEnumerable<MimeMessage> messages) =>
        messages.Select(m => Assert.Single(m.To.Mailboxes).LocalPart).Order(StringComparer.Ordinal).ToList();

    public async Task<long> QueuedExpiryNoticesAsync()
    {
        await using var connection = new NpgsqlConnection(First.ConnectionString);
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM mail_outbox WHERE kind = 'CERTIFICATE_EXPIRING'");
    }

    /// <summary>Whether a run has completed the week that starts at <paramref name="slot"/>.</summary>
    public async Task<bool> IsWeekCompleteAsync(DateTimeOffset slot)
    {
        await using var connection = new NpgsqlConnection(First.ConnectionString);
        return await connection.ExecuteScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM expiry_notice_weeks WHERE week_of = @weekOf AND completed_at IS NOT NULL)",
            new { weekOf = ExpiryNotifierSchedule.TaiwanDate(slot) });
    }

    public async ValueTask DisposeAsync()
    {
        await Second.DisposeAsync();
        await First.DisposeAsync();
        if (_ownsSmtp)
            await Smtp.DisposeAsync();
    }
}
