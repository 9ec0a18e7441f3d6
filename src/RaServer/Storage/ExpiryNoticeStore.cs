using Dapper;
using Npgsql;

namespace RaServer.Storage;

/// <summary>
/// The expiry notifier's journal (migration 0010): a row per week in expiry_notice_weeks and a row per certificate
/// handled that week in expiry_notices, written in the run's unit of work together with the notices it enqueues.
/// </summary>
/// <remarks>
/// Npgsql writes timestamptz only from UTC values; the weekly slot is in Taiwan time, so every instant is converted
/// here, where it is written.
/// </remarks>
public sealed class ExpiryNoticeStore(NpgsqlConnection connection, NpgsqlTransaction? tx)
{
    /// <summary>Starts the week's journal row on its first run; true when an earlier run already finished the week.</summary>
    public async Task<bool> IsWeekCompleteAsync(DateOnly weekOf, DateTimeOffset slot, DateTimeOffset now, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO expiry_notice_weeks (week_of, slot_at, started_at, completed_at, notices_enqueued)
            VALUES (@WeekOf, @Slot, @Now, NULL, 0)
            ON CONFLICT (week_of) DO NOTHING
            """,
            new { WeekOf = weekOf, Slot = slot.ToUniversalTime(), Now = now.ToUniversalTime() }, tx, cancellationToken: ct));
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT completed_at IS NOT NULL FROM expiry_notice_weeks WHERE week_of = @WeekOf",
            new { WeekOf = weekOf }, tx, cancellationToken: ct));
    }

    /// <summary>
    /// Active, registered, not renewed certificates that expire after <paramref name="now"/> and by
    /// <paramref name="windowEnd"/> and were not handled this week yet, soonest expiry first, at most <paramref name="limit"/>.
    /// </summary>
    public async Task<List<DueCertificate>> DueCertificatesAsync(
        DateOnly weekOf, DateTimeOffset windowEnd, DateTimeOffset now, int limit, CancellationToken ct) =>
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
            new { Now = now.ToUniversalTime(), WindowEnd = windowEnd.ToUniversalTime(), WeekOf = weekOf, Limit = limit },
            tx, cancellationToken: ct))).AsList();

    /// <summary>Marks <paramref name="certificate"/> handled this week, so no later run of the week takes it again.</summary>
    public Task RecordAsync(DateOnly weekOf, DueCertificate certificate, ExpiryNoticeOutcome outcome, DateTimeOffset now, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO expiry_notices (week_of, serial_hex, recipient, outcome, handled_at)
            VALUES (@WeekOf, @SerialHex, @Recipient, @Outcome, @Now)
            """,
            new
            {
                WeekOf = weekOf, certificate.SerialHex, Recipient = certificate.NoticeEmail, Now = now.ToUniversalTime(),
                Outcome = outcome switch
                {
                    ExpiryNoticeOutcome.Enqueued => "ENQUEUED",
                    ExpiryNoticeOutcome.AlreadyQueued => "ALREADY_QUEUED",
                    _ => "BAD_ADDRESS",
                },
            },
            tx, cancellationToken: ct));

    /// <summary>Adds this run's count to the week and closes the week when nothing is left; returns the week's total.</summary>
    public Task<int> RecordRunAsync(DateOnly weekOf, int enqueued, DateTimeOffset? completedAt, CancellationToken ct) =>
        connection.ExecuteScalarAsync<int>(new CommandDefinition(
            """
            UPDATE expiry_notice_weeks
            SET notices_enqueued = notices_enqueued + @Enqueued, completed_at = @CompletedAt
            WHERE week_of = @WeekOf
            RETURNING notices_enqueued
            """,
            new { WeekOf = weekOf, Enqueued = enqueued, CompletedAt = completedAt?.ToUniversalTime() }, tx, cancellationToken: ct));
}

/// <summary>What became of a due certificate this week (expiry_notices.outcome).</summary>
public enum ExpiryNoticeOutcome
{
    Enqueued,
    AlreadyQueued,
    BadAddress,
}

/// <summary>A certificate the expiry notifier still has to tell its holder about this week.</summary>
/// <remarks>Npgsql reads timestamptz as a UTC DateTime, which Dapper will not convert to DateTimeOffset.</remarks>
public sealed record DueCertificate(string SerialHex, DateTime NotAfter, string NoticeEmail)
{
    public DateTimeOffset NotAfterUtc => new(DateTime.SpecifyKind(NotAfter, DateTimeKind.Utc));
}
