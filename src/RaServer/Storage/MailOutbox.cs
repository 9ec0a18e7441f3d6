using Dapper;
using Microsoft.Extensions.Options;
using MimeKit.Utils;
using Npgsql;
using RaServer.Hosting;
using RaServer.Policy;
using RaServer.Workers;

namespace RaServer.Storage;

/// <summary>
/// Queues notices in mail_outbox inside the caller's transaction, so a notice commits together with the state
/// change it announces, or not at all. <see cref="MailSender"/> delivers them later.
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
