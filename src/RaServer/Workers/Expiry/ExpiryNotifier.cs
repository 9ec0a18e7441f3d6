using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using RaServer.Hosting;
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
    NpgsqlDataSource dataSource, MailOutboxSettings mailSettings, IOptions<ExpiryNotifierOptions> options, TimeProvider clock,
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
        // Npgsql writes timestamptz only from UTC values; the slot is in Taiwan time, so it is converted where it is written.
        var now = clock.GetUtcNow().ToUniversalTime();
        var slot = _schedule.LatestSlotAtOrBefore(now);
        var weekOf = DateOnly.FromDateTime(slot.DateTime);

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // Try, not wait: a replica that finds the lock taken has nothing to add, the holder is doing the work.
        if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT pg_try_advisory_xact_lock(@LockKey)", new { LockKey }, transaction, cancellationToken: ct)))
        {
            ExpiryNotifierLog.AnotherReplicaRuns(logger);
            return 0;
        }
        if (await IsWeekCompleteAsync(connection, transaction, weekOf, slot, now, ct))
            return 0;

        // One more than the cap tells whether anything is left for the next run without a second query.
        var due = await DueCertificatesAsync(connection, transaction, weekOf, slot, now, _options.MaxPerRun + 1, ct);
        var batch = due.Take(_options.MaxPerRun).ToList();
        var enqueued = 0;
        foreach (var certificate in batch)
        {
            var outcome = await NotifyAsync(connection, transaction, certificate, weekOf, ct);
            await RecordAsync(connection, transaction, weekOf, certificate, outcome, now, ct);
            if (outcome == Outcome.Enqueued)
                enqueued++;
        }
        var complete = due.Count <= _options.MaxPerRun;
        var weekTotal = await RecordRunAsync(connection, transaction, weekOf, enqueued, complete ? now : null, ct);
        await transaction.CommitAsync(ct);

        if (complete)
            ExpiryNotifierLog.WeekComplete(logger, weekOf, enqueued, weekTotal);
        else
            ExpiryNotifierLog.Carried(logger, weekOf, enqueued);
        return enqueued;
    }

    /// <summary>Starts the week's journal row on its first run; true when an earlier run already finished the week.</summary>
    private static async Task<bool> IsWeekCompleteAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DateOnly weekOf, DateTimeOffset slot, DateTimeOffset now, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO expiry_notice_weeks (week_of, slot_at, started_at, completed_at, notices_enqueued)
            VALUES (@WeekOf, @Slot, @Now, NULL, 0)
            ON CONFLICT (week_of) DO NOTHING
            """,
            new { WeekOf = weekOf, Slot = slot.ToUniversalTime(), Now = now }, transaction, cancellationToken: ct));
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT completed_at IS NOT NULL FROM expiry_notice_weeks WHERE week_of = @WeekOf",
            new { WeekOf = weekOf }, transaction, cancellationToken: ct));
    }

    /// <summary>
    /// The certificates still to notify this week, soonest expiry first (so a capped run tells the most urgent first).
    /// The window's far end is measured from the slot, so a run carried over to later in the week works through the
    /// same set; its near end is now, so a certificate that has expired meanwhile is not announced as expiring.
    /// </summary>
    private async Task<List<DueCertificate>> DueCertificatesAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DateOnly weekOf, DateTimeOffset slot, DateTimeOffset now, int limit,
        CancellationToken ct) =>
        (await connection.QueryAsync<DueCertificate>(new CommandDefinition(
            """
            SELECT c.serial_hex AS SerialHex, c.not_after AS NotAfter, a.notice_email AS NoticeEmail
            FROM certificates c
            JOIN applications a ON a.id = c.issued_for_application
            WHERE c.state = 'ACTIVE'
              AND c.registered_firm_ubn IS NOT NULL
              AND c.not_after > @Now
              AND c.not_after <= @WindowEnd
              AND NOT EXISTS (SELECT 1 FROM certificates renewal WHERE renewal.renews_serial_hex = c.serial_hex)
              AND NOT EXISTS (SELECT 1 FROM expiry_notices n WHERE n.week_of = @WeekOf AND n.serial_hex = c.serial_hex)
            ORDER BY c.not_after, c.serial_hex
            LIMIT @Limit
            """,
            new { Now = now, WindowEnd = slot.AddDays(_options.WindowDays).ToUniversalTime(), WeekOf = weekOf, Limit = limit },
            transaction, cancellationToken: ct))).AsList();

    private async Task<Outcome> NotifyAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DueCertificate certificate, DateOnly weekOf, CancellationToken ct)
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
            return Outcome.BadAddress;
        }
        // The outbox's dedup key (certificate + ISO week) refuses a second notice when the slot moved within a week.
        return await new MailOutbox(connection, transaction, mailSettings, clock).EnqueueAsync(notice, ct) ? Outcome.Enqueued : Outcome.AlreadyQueued;
    }

    private static Task RecordAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DateOnly weekOf, DueCertificate certificate, Outcome outcome,
        DateTimeOffset now, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO expiry_notices (week_of, serial_hex, recipient, outcome, handled_at)
            VALUES (@WeekOf, @SerialHex, @Recipient, @Outcome, @Now)
            """,
            new
            {
                WeekOf = weekOf, certificate.SerialHex, Recipient = certificate.NoticeEmail, Now = now,
                Outcome = outcome switch
                {
                    Outcome.Enqueued => "ENQUEUED",
                    Outcome.AlreadyQueued => "ALREADY_QUEUED",
                    _ => "BAD_ADDRESS",
                },
            },
            transaction, cancellationToken: ct));

    /// <summary>Adds this run's count to the week and closes the week when nothing is left; returns the week's total.</summary>
    private static Task<int> RecordRunAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DateOnly weekOf, int enqueued, DateTimeOffset? completedAt,
        CancellationToken ct) =>
        connection.ExecuteScalarAsync<int>(new CommandDefinition(
            """
            UPDATE expiry_notice_weeks
            SET notices_enqueued = notices_enqueued + @Enqueued, completed_at = @CompletedAt
            WHERE week_of = @WeekOf
            RETURNING notices_enqueued
            """,
            new { WeekOf = weekOf, Enqueued = enqueued, CompletedAt = completedAt }, transaction, cancellationToken: ct));

    private enum Outcome
    {
        Enqueued,
        AlreadyQueued,
        BadAddress,
    }

    /// <remarks>Npgsql reads timestamptz as a UTC DateTime, which Dapper will not convert to DateTimeOffset.</remarks>
    private sealed record DueCertificate(string SerialHex, DateTime NotAfter, string NoticeEmail)
    {
        public DateTimeOffset NotAfterUtc => new(DateTime.SpecifyKind(NotAfter, DateTimeKind.Utc));
    }
}
