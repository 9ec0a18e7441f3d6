using Microsoft.Extensions.Options;
using MimeKit;
using RaServer.Storage;

namespace RaServer.Workers;

/// <summary>How many claimed notices one run sent and how many failed (and were rescheduled).</summary>
public readonly record struct MailRunResult(int Sent, int Failed)
{
    public static MailRunResult operator +(MailRunResult a, MailRunResult b) => new(a.Sent + b.Sent, a.Failed + b.Failed);
}

/// <summary>
/// Delivers mail_outbox rows; runs on every replica. Each batch is one transaction: claim due rows with
/// FOR UPDATE SKIP LOCKED (so replicas never share a row), send each, and record sent_at or the failure and the
/// next attempt on that row before committing.
/// </summary>
public sealed class MailSender(
    UnitOfWorkFactory units, IMailTransport transport, IOptions<MailOptions> options, TimeProvider time, ILogger<MailSender> logger)
    : BackgroundService
{
    private const int MaxErrorLength = 2000;
    private readonly MailOptions _options = options.Value;
    private readonly MailboxAddress _from = new(options.Value.FromDisplayName, options.Value.FromAddress);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database may be failing over; nothing is lost, the rows wait for the next poll.
                MailLog.RunFailed(logger, e);
            }
            try
            {
                await Task.Delay(_options.PollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Sends every notice that is due now, batch after batch, and returns what happened. Rows that another sender
    /// holds are skipped; rows that fail are due again only after their backoff, so this always ends.
    /// </summary>
    public async Task<MailRunResult> RunOnceAsync(CancellationToken ct)
    {
        var total = new MailRunResult();
        while (true)
        {
            var (claimed, result) = await SendBatchAsync(ct);
            total += result;
            if (claimed < _options.BatchSize)
                return total;
        }
    }

    private async Task<(int Claimed, MailRunResult Result)> SendBatchAsync(CancellationToken ct)
    {
        await using var uow = await units.BeginAsync(ct);
        var batch = await uow.Mail.ClaimDueAsync(time.GetUtcNow(), _options.BatchSize, _options.FirstRetryDelay, _options.MaxBackoff, ct);
        if (batch.Count == 0)
            return (0, new MailRunResult());

        var result = await SendAllAsync(uow.Mail, batch, ct);
        await uow.CommitAsync(ct);
        return (batch.Count, result);
    }

    private async Task<MailRunResult> SendAllAsync(MailOutbox outbox, List<OutboxMessage> batch, CancellationToken ct)
    {
        IMailSession session;
        try
        {
            session = await transport.OpenSessionAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            MailLog.TransportUnavailable(logger, e, batch.Count);
            foreach (var message in batch)
                await RecordFailureAsync(outbox, message, e, ct);
            return new MailRunResult(0, batch.Count);
        }

        var sent = 0;
        await using (session)
        {
            foreach (var message in batch)
            {
                try
                {
                    await session.SendAsync(message.ToMimeMessage(_from), ct);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    await RecordFailureAsync(outbox, message, e, ct);
                    continue;
                }
                await RecordSentAsync(outbox, message, ct);
                sent++;
            }
        }
        return new MailRunResult(sent, batch.Count - sent);
    }

    private async Task RecordSentAsync(MailOutbox outbox, OutboxMessage message, CancellationToken ct)
    {
        await outbox.MarkSentAsync(message.Id, time.GetUtcNow(), ct);
        MailLog.Sent(logger, message.Id, message.Kind, message.MessageId);
    }

    private async Task RecordFailureAsync(MailOutbox outbox, OutboxMessage message, Exception error, CancellationToken ct)
    {
        var attempt = message.Attempts + 1;
        var nextAttemptAt = time.GetUtcNow() + Backoff.After(attempt, _options.FirstRetryDelay, _options.MaxBackoff);
        var text = $"{error.GetType().Name}: {error.Message}";
        await outbox.ScheduleRetryAsync(message.Id, attempt, nextAttemptAt, text.Length > MaxErrorLength ? text[..MaxErrorLength] : text, ct);
        MailLog.SendFailed(logger, error, message.Id, message.Kind, attempt, nextAttemptAt);
    }
}
