using Dapper;
using MimeKit.Utils;
using Npgsql;
using RaServer.Policy;
using RaServer.Workers;

namespace RaServer.Storage;

/// <summary>
/// Queues notices in mail_outbox inside the caller's transaction, so a notice commits together with the state
/// change it announces, or not at all. <see cref="MailSender"/> delivers them later, claiming and settling the rows
/// in a unit of work of its own.
/// </summary>
public sealed class MailOutbox(NpgsqlConnection connection, NpgsqlTransaction? transaction, MailOutboxSettings settings, TimeProvider time)
{

    /// <summary>
    /// Adds <paramref name="notice"/> in the unit of work's transaction.
    /// Returns false, and adds nothing, when a notice with the same dedup key was already enqueued (and committed,
    /// or is being enqueued by a transaction that then commits: PostgreSQL makes this one wait for it).
    /// </summary>
    public async Task<bool> EnqueueAsync(MailNotice notice, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var added = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO mail_outbox (kind, recipient, subject, body, dedup_key, message_id, created_at, attempts, next_attempt_at)
            VALUES (@Kind, @Recipient, @Subject, @Body, @DedupKey, @MessageId, @Now, 0, @Now)
            ON CONFLICT (dedup_key) DO NOTHING
            """,
            new
            {
                Kind = NoticeKinds.Code(notice.Kind),
                notice.Recipient,
                notice.Subject,
                notice.Body,
                notice.DedupKey,
                MessageId = MimeUtils.GenerateMessageId(settings.MessageIdDomain),
                Now = now,
            },
            transaction, cancellationToken: ct));
        return added == 1;
    }

    /// <summary>
    /// Claims up to <paramref name="limit"/> notices due at <paramref name="now"/>, locked (SKIP LOCKED) until the unit
    /// of work ends, so no other sender or replica sends them meanwhile; rows another sender holds are skipped.
    /// A row due later than the sender's backoff (<paramref name="firstRetryDelay"/>, <paramref name="maxBackoff"/>)
    /// could have made it is due now: the clock went back (<see cref="OutboxDue"/>).
    /// </summary>
    internal async Task<List<OutboxMessage>> ClaimDueAsync(
        DateTimeOffset now, int limit, TimeSpan firstRetryDelay, TimeSpan maxBackoff, CancellationToken ct) =>
        (await connection.QueryAsync<OutboxMessage>(new CommandDefinition(
            $"""
            SELECT id AS Id, kind AS Kind, recipient AS Recipient, subject AS Subject, body AS Body,
                   message_id AS MessageId, created_at AS CreatedAt, attempts AS Attempts
            FROM mail_outbox
            WHERE sent_at IS NULL AND (next_attempt_at <= @Now OR next_attempt_at > @Now + {OutboxDue.Slack} + {OutboxDue.LongestBackoff})
            ORDER BY next_attempt_at, id
            LIMIT @BatchSize
            FOR UPDATE SKIP LOCKED
            """,
            new { Now = now, BatchSize = limit, firstRetryDelay, maxBackoff }, transaction, cancellationToken: ct))).AsList();

    /// <summary>Records the claimed notice <paramref name="id"/> as delivered; it is never claimed again.</summary>
    internal Task MarkSentAsync(long id, DateTimeOffset now, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            "UPDATE mail_outbox SET sent_at = @Now, attempts = attempts + 1, last_error = NULL WHERE id = @Id",
            new { Now = now, Id = id }, transaction, cancellationToken: ct));

    /// <summary>Keeps the claimed notice <paramref name="id"/> for another attempt at <paramref name="nextAttemptAt"/>, with the reason.</summary>
    internal Task ScheduleRetryAsync(long id, int attempt, DateTimeOffset nextAttemptAt, string error, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            "UPDATE mail_outbox SET attempts = @Attempt, next_attempt_at = @NextAttemptAt, last_error = @Error WHERE id = @Id",
            new { Attempt = attempt, NextAttemptAt = nextAttemptAt, Error = error, Id = id }, transaction, cancellationToken: ct));
}

/// <summary>What the outbox needs of the mail configuration: the domain of the Message-IDs it makes.</summary>
public sealed record MailOutboxSettings(string MessageIdDomain)
{
    /// <summary>The sender address's domain, so Message-IDs look like the sender's own.</summary>
    public static MailOutboxSettings ForSender(string fromAddress)
    {
        var at = fromAddress.LastIndexOf('@');
        return new(at >= 0 && at < fromAddress.Length - 1 ? fromAddress[(at + 1)..] : "localhost");
    }
}
