using System.Security.Cryptography.X509Certificates;
using RaServer.Domain;
using RaServer.Policy;
using RaServer.Storage;

namespace RaServer.Workers;

/// <summary>How the sealer runs: its round, its batch, when a checkpoint is due, and the key that signs it.</summary>
public sealed record AuditSealerSettings(
    TimeSpan Interval, int BatchSize, int CheckpointEveryRows, TimeSpan CheckpointInterval, X509Certificate2 Signer);

/// <summary>
/// Chains the audit log, on every replica, one at a time: each round takes the sealer's transaction lock (a replica
/// that finds it taken skips the round), gives the committed unchained rows the next chain positions with their
/// prev_hash and row_hash, and signs a checkpoint of the head when one is due. Writers never wait for it: their one
/// INSERT is all a change or refusal costs, and the chain follows within about one interval.
/// </summary>
public sealed partial class AuditSealer(
    AuditChainStore chain, AuditSealerSettings settings, TimeProvider clock, ILogger<AuditSealer> logger) : BackgroundService
{
    private readonly byte[] signerCertificate = settings.Signer.RawData;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (StorageErrors.IsUnavailable(e))
            {
                // Nothing was half-done (a round is one transaction); the next tick seals what this one did not.
                LogSealFailed(logger, e);
            }
        }
    }

    /// <summary>Seals everything committed now, in batches; returns how many rows it chained (0 when another replica leads).</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            var round = await chain.SealAsync(settings.BatchSize, CheckpointIfDue, ct);
            if (round is null)
                return total;
            total += round.Sealed;
            if (round.Checkpoint is { } checkpoint)
                LogCheckpoint(logger, checkpoint.Position);
            if (round.Sealed < settings.BatchSize)
                return total;
        }
    }

    private AuditCheckpoint? CheckpointIfDue(AuditHead head)
    {
        var rowsSince = head.Position - head.LastCheckpointPosition;
        var now = clock.GetUtcNow();
        var due = rowsSince >= settings.CheckpointEveryRows
            || (rowsSince > 0 && (head.LastCheckpointAt is not { } last || now - last >= settings.CheckpointInterval));
        if (!due)
            return null;
        // Stored at PostgreSQL's precision, so the time read back is the time signed.
        var signedAt = DateTimeOffset.UnixEpoch.AddTicks(AuditHash.Microseconds(now) * 10);
        var statement = AuditHash.CheckpointStatement(head.Position, head.Hash, signedAt);
        return new AuditCheckpoint(head.Position, head.Hash, signedAt, AuditCheckpointSignature.Sign(statement, settings.Signer), signerCertificate);
    }

    [LoggerMessage(EventId = 4301, Level = LogLevel.Warning, Message = "Sealing the audit log failed; retrying on the next tick")]
    private static partial void LogSealFailed(ILogger logger, Exception e);

    [LoggerMessage(EventId = 4302, Level = LogLevel.Information, Message = "Signed an audit checkpoint at chain position {Position}")]
    private static partial void LogCheckpoint(ILogger logger, long position);
}
