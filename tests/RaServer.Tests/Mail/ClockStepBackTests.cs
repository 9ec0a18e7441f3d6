using Dapper;
using Microsoft.Extensions.Options;
using RaServer.Policy;
using RaServer.Workers;
using RaServer.Tests.DevPkiTests;
using RaServer.Tests.Fixtures;

namespace RaServer.Tests.Mail;

/// <summary>
/// The outbox's due times after the server's clock was stepped back (Storage/OutboxDue). A FakeTimeProvider cannot go
/// back, so the step is made the other way round: the row's due time is moved ahead by the step, which is what the
/// sender then sees. The whole path under load is Faults/ClockJumpUnderLoadTests.
/// </summary>
public sealed class ClockStepBackTests(PostgresFixture pg) : IClassFixture<PostgresFixture>, IDisposable
{
    private readonly TempFolder _pickup = new();

    [Fact]
    public async Task A_notice_enqueued_just_before_the_clock_went_back_ten_minutes_is_sent_at_once()
    {
        await using var bed = await MailTestBed.CreateAsync(pg, new() { PickupFolder = _pickup.Path, FromAddress = "ra-noreply@ra.test" });
        await bed.EnqueueAsync(MailNotice.Create("broker@broker.test", new PaymentReceivedNotice("APP-1", "SLIP-1")));
        await StepBackAsync(bed, TimeSpan.FromMinutes(10));

        var result = await bed.NewSender(new PickupFolderTransport(Options.Create(bed.Options))).RunOnceAsync(CancellationToken.None);

        Assert.Equal(new MailRunResult(1, 0), result);
    }

    [Fact]
    public async Task A_notice_waiting_out_its_backoff_is_not_sent_early_nor_after_a_step_back_of_less_than_a_minute_plus_its_backoff()
    {
        var options = new MailOptions { PickupFolder = _pickup.Path, FromAddress = "ra-noreply@ra.test", FirstRetryDelay = TimeSpan.FromSeconds(30) };
        await using var bed = await MailTestBed.CreateAsync(pg, options);
        await bed.EnqueueAsync(MailNotice.Create("broker@broker.test", new PaymentReceivedNotice("APP-1", "SLIP-1")));
        await using (var connection = await bed.DataSource.OpenConnectionAsync())
            await connection.ExecuteAsync("UPDATE mail_outbox SET attempts = 1, next_attempt_at = @due", new { due = bed.Clock.GetUtcNow() + options.FirstRetryDelay });
        var sender = bed.NewSender(new PickupFolderTransport(Options.Create(bed.Options)));

        Assert.Equal(new MailRunResult(0, 0), await sender.RunOnceAsync(CancellationToken.None));
        await StepBackAsync(bed, TimeSpan.FromSeconds(50)); // due 80 s ahead: within a minute of its 30 s backoff
        Assert.Equal(new MailRunResult(0, 0), await sender.RunOnceAsync(CancellationToken.None));
        await StepBackAsync(bed, TimeSpan.FromSeconds(20)); // due 100 s ahead: only a step back explains that
        Assert.Equal(new MailRunResult(1, 0), await sender.RunOnceAsync(CancellationToken.None));
    }

    private static async Task StepBackAsync(MailTestBed bed, TimeSpan step)
    {
        await using var connection = await bed.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("UPDATE mail_outbox SET next_attempt_at = next_attempt_at + @step", new { step });
    }

    public void Dispose() => _pickup.Dispose();
}
