using Microsoft.Extensions.Options;
using RaServer.Policy;
using RaServer.Storage;

namespace RaServer.Workers;

/// <summary>
/// Each week e-mails the holders of active, registered, not renewed certificates that expire within the window
/// (docs/ARCHITECTURE.md §2). Every replica runs the loop; a run takes a transaction-level advisory lock, so at most one replica
/// runs at a time and the others' checks do nothing. A run enqueues at most MaxPerRun notices; the journal of
/// migration 0010 lets the next check carry on and stops the week once nothing is left.
/// </summary>
public sealed partial class ExpiryNotifier(
    UnitOfWorkFactory units, IOptions<ExpiryNotifierOptions> options, TimeProvider clock,
    ILogger<ExpiryNotifier> logger) : BackgroundService
{
    /// <summary>The advisory lock key of the notifier ("RA-EXP" in ASCII); no other lock in the RA may use it.</summary>
    internal const long LockKey = 0x52_41_2D_45_58_50;

    private readonly ExpiryNotifierOptions _options = options.Value;
    private readonly ExpiryNotifierSchedule _schedule = new(options.Value.DayOfWeek, options.Value.TimeOfDay);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.CheckInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // A run is one transaction: nothing was half-done, and the next check starts where this one would have.
                // Anything else is logged, not thrown: an unhandled exception here would stop the whole replica.
                ExpiryNotifierLog.RunFailed(logger, e);
            }
        }
    }

    /// <summary>
    /// One run for the week of the latest slot: enqueues the notices still due this week, at most MaxPerRun, and
    /// returns how many it enqueued. Does nothing (returns 0) while another replica runs, or once the week is complete.
    /// </summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var slot = _schedule.LatestSlotAtOrBefore(now);
        var weekOf = DateOnly.FromDateTime(slot.DateTime);

        await using var uow = await units.BeginAsync(ct);
        // Try, not wait: a replica that finds the lock taken has nothing to add, the holder is doing the work.
        if (!await uow.TryLockAsync(LockKey, ct))
        {
            ExpiryNotifierLog.AnotherReplicaRuns(logger);
            return 0;
        }
        if (await uow.ExpiryNotices.IsWeekCompleteAsync(weekOf, slot, now, ct))
            return 0;

        // Soonest expiry first, so a capped run tells the most urgent first. The window's far end is measured from the
        // slot, so a run carried over to later in the week works through the same set; its near end is now, so a
        // certificate that has expired meanwhile is not announced as expiring. One more than the cap tells whether
        // anything is left for the next run without a second query.
        var due = await uow.ExpiryNotices.DueCertificatesAsync(weekOf, slot.AddDays(_options.WindowDays), now, _options.MaxPerRun + 1, ct);
        var batch = due.Take(_options.MaxPerRun).ToList();
        var enqueued = 0;
        foreach (var certificate in batch)
        {
            var outcome = await NotifyAsync(uow.Mail, certificate, weekOf, ct);
            await uow.ExpiryNotices.RecordAsync(weekOf, certificate, outcome, now, ct);
            if (outcome == ExpiryNoticeOutcome.Enqueued)
                enqueued++;
        }
        var complete = due.Count <= _options.MaxPerRun;
        var weekTotal = await uow.ExpiryNotices.RecordRunAsync(weekOf, enqueued, complete ? now : null, ct);
        await uow.CommitAsync(ct);

        if (complete)
            ExpiryNotifierLog.WeekComplete(logger, weekOf, enqueued, weekTotal);
        else
            ExpiryNotifierLog.Carried(logger, weekOf, enqueued);
        return enqueued;
    }

    private async Task<ExpiryNoticeOutcome> NotifyAsync(MailOutbox outbox, DueCertificate certificate, DateOnly weekOf, CancellationToken ct)
    {
        MailNotice notice;
        try
        {
            notice = MailNotice.Create(certificate.NoticeEmail,
                new CertificateExpiringNotice(certificate.SerialHex, ExpiryNotifierSchedule.TaiwanDate(certificate.NotAfterUtc), weekOf));
        }
        catch (ArgumentException)
        {
            // Recorded as handled, so one bad address neither fails the run nor keeps the week from completing.
            ExpiryNotifierLog.BadAddress(logger, certificate.SerialHex, certificate.NoticeEmail);
            return ExpiryNoticeOutcome.BadAddress;
        }
        // The outbox's dedup key (certificate + ISO week) refuses a second notice when the slot moved within a week.
        return await outbox.EnqueueAsync(notice, ct) ? ExpiryNoticeOutcome.Enqueued : ExpiryNoticeOutcome.AlreadyQueued;
    }
}
