using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using RaServer.Api;
using RaServer.Domain;
using RaServer.Hosting;
using RaServer.Storage;
using RaServer.Workflow;

namespace RaServer.Workers;

/// <summary>
/// Gives committed application events their global sequence numbers (the migration 0005 comment says why this happens
/// after commit and not at insert). Every replica runs one; a session-level advisory lock on a dedicated connection
/// lets exactly one of them work, and the others wait inside pg_advisory_lock, so PostgreSQL itself hands the work to
/// a standby the moment the leader's session ends. Woken by ra_events_pending (see <see cref="EventNotificationListener"/>)
/// and by a short poll as a safety net.
/// </summary>
public sealed partial class EventSequencer(
    NpgsqlDataSource dataSource,
    IOptions<EventsOptions> options,
    EventsMetrics metrics,
    TimeProvider clock,
    ILogger<EventSequencer> logger) : BackgroundService
{
    /// <summary>The advisory lock key of the sequencer role ("RA-SEQ" in ASCII); no other lock in the RA may use it.</summary>
    internal const long LeaderLockKey = 0x52_41_2D_53_45_51;

    private readonly WakeSignal _wake = new();

    /// <summary>Something may be waiting for a number: called for every ra_events_pending notification and on reconnect.</summary>
    public void Wake() => _wake.Set();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = new ReconnectBackoff(options.Value.ReconnectMaxBackoff);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await LeadAsync(stoppingToken);
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException && !stoppingToken.IsCancellationRequested)
            {
                var delay = backoff.Next();
                EventsLog.SequencerFailed(logger, e, delay);
                await ReconnectBackoff.PauseAsync(delay, clock, stoppingToken);
            }
        }
    }

    /// <summary>Waits to become the leader, then numbers events until the connection fails or the host stops.</summary>
    private async Task LeadAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "SELECT pg_advisory_lock(@LeaderLockKey)", new { LeaderLockKey }, commandTimeout: 0, cancellationToken: ct));
            EventsLog.SequencerLeading(logger);
            while (true)
            {
                // A full batch means more may be waiting: go again at once rather than after the next wake-up.
                if (await NumberAsync(connection, ct) < options.Value.SequencerBatchSize)
                    await _wake.WaitAsync(options.Value.SequencerPollInterval, clock, ct);
            }
        }
        finally
        {
            // The pool would otherwise keep this session, and the lock with it, alive after we stop leading.
            await ReleaseLeadershipAsync(connection);
        }
    }

    private static async Task ReleaseLeadershipAsync(NpgsqlConnection connection)
    {
        if (connection.State != System.Data.ConnectionState.Open)
            return;
        try
        {
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_unlock_all()", cancellationToken: CancellationToken.None));
        }
        catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException)
        {
            // A broken connection is discarded by the pool, and its session (and lock) ends with it.
        }
    }

    /// <summary>
    /// One numbering round on a connection of its own, for tests and tools. Safe beside the running leader: rounds
    /// serialize on the event_sequencer row, not on the advisory lock (which only keeps replicas from queueing up).
    /// </summary>
    /// <returns>How many events this round numbered.</returns>
    public async Task<int> RunRoundAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await NumberAsync(connection, ct);
    }

    /// <summary>
    /// Numbers up to a batch of committed, unnumbered events in id order and announces the highest number.
    ///
    /// Why a reader that sees sequence N also sees every sequence below N: rounds run one after another (each holds
    /// the event_sequencer row lock until it commits), and a round assigns numbers only above the last_sequence it read
    /// under that lock, committing all of them at once. So when round R's numbers become visible, every earlier round
    /// had already committed, and no later round can hand out a number below R's. Events are numbered only once their
    /// own transaction has committed (a round cannot see them before), so a slow writer cannot leave a hole below a
    /// number a watcher has already read; it simply gets a higher number when it commits.
    /// </summary>
    private async Task<int> NumberAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct);
        // Its own statement: in READ COMMITTED the numbering statement below then takes its snapshot after this lock is
        // granted, so it sees the previous round's numbers as committed and never renumbers them.
        var last = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT last_sequence FROM event_sequencer FOR UPDATE", transaction: tx, cancellationToken: ct));
        var numbered = (await connection.QueryAsync<NumberedEvent>(new CommandDefinition(
            """
            WITH next AS (
                SELECT id, @last + row_number() OVER (ORDER BY id) AS sequence
                FROM application_events
                WHERE sequence IS NULL
                ORDER BY id
                LIMIT @limit
            )
            UPDATE application_events e SET sequence = next.sequence
            FROM next WHERE e.id = next.id
            RETURNING e.sequence AS Sequence, extract(epoch FROM clock_timestamp() - e.occurred_at)::float8 AS LagSeconds
            """,
            new { last, limit = options.Value.SequencerBatchSize }, transaction: tx, cancellationToken: ct))).ToList();
        if (numbered.Count == 0)
            return 0;

        var highest = numbered.Max(n => n.Sequence);
        // pg_notify inside the transaction is delivered at commit, and only if it commits: watchers are never told
        // about numbers that do not exist, and a crash between commit and a separate NOTIFY cannot swallow the news.
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE event_sequencer SET last_sequence = @highest;
            SELECT pg_notify('ra_events', @highest::text);
            """,
            new { highest }, transaction: tx, cancellationToken: ct));
        await tx.CommitAsync(ct);

        foreach (var n in numbered)
            metrics.Sequenced(n.LagSeconds);
        return numbered.Count;
    }

    private sealed record NumberedEvent(long Sequence, double LagSeconds);
}
