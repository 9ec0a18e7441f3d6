using Dapper;
using Npgsql;

namespace RaServer.Storage;

/// <summary>
/// Gives committed application events their global sequence numbers (event_sequencer and application_events.sequence;
/// the migration 0005 comment says why this happens after commit and not at insert). The leader numbers on a dedicated
/// connection of its own: its session-level advisory lock lives exactly as long as that session, so this type owns
/// the connection instead of taking one from a unit of work.
/// </summary>
public sealed class EventNumbering(SessionDataSource sessions)
{
    /// <summary>
    /// Opens a dedicated session and waits inside pg_advisory_lock(<paramref name="lockKey"/>), with no command timeout,
    /// until it holds the lock: the replica that returns from here is the one leader. PostgreSQL itself hands the lock
    /// to a waiting replica the moment the leader's session ends.
    /// </summary>
    public async Task<SequencerLeadership> LeadAsync(long lockKey, CancellationToken ct)
    {
        var leadership = new SequencerLeadership(await sessions.OpenConnectionAsync(ct));
        try
        {
            await leadership.Connection.ExecuteAsync(new CommandDefinition(
                "SELECT pg_advisory_lock(@lockKey)", new { lockKey }, commandTimeout: 0, cancellationToken: ct));
            return leadership;
        }
        catch
        {
            await leadership.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// One numbering round on a connection of its own, for tests and tools. Safe beside the running leader: rounds
    /// serialize on the event_sequencer row, not on the advisory lock (which only keeps replicas from queueing up).
    /// </summary>
    public async Task<IReadOnlyList<NumberedEvent>> NumberRoundAsync(int limit, CancellationToken ct)
    {
        await using var connection = await sessions.OpenConnectionAsync(ct);
        return await NumberAsync(connection, limit, ct);
    }

    /// <summary>
    /// Numbers up to <paramref name="limit"/> committed, unnumbered events in id order and announces the highest number.
    ///
    /// Why a reader that sees sequence N also sees every sequence below N: rounds run one after another (each holds
    /// the event_sequencer row lock until it commits), and a round assigns numbers only above the last_sequence it read
    /// under that lock, committing all of them at once. So when round R's numbers become visible, every earlier round
    /// had already committed, and no later round can hand out a number below R's. Events are numbered only once their
    /// own transaction has committed (a round cannot see them before), so a slow writer cannot leave a hole below a
    /// number a watcher has already read; it simply gets a higher number when it commits.
    /// </summary>
    internal static async Task<IReadOnlyList<NumberedEvent>> NumberAsync(NpgsqlConnection connection, int limit, CancellationToken ct)
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
            new { last, limit }, transaction: tx, cancellationToken: ct))).ToList();
        if (numbered.Count == 0)
            return numbered;

        var highest = numbered.Max(n => n.Sequence);
        // pg_notify inside the transaction is delivered at commit, and only if it commits: watchers are never told
        // about numbers that do not exist, and a crash between commit and a separate NOTIFY cannot swallow the news.
        await connection.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE event_sequencer SET last_sequence = @highest;
            SELECT pg_notify('{EventNotifications.SequencedChannel}', @highest::text);
            """,
            new { highest }, transaction: tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return numbered;
    }
}

/// <summary>
/// The leader's dedicated session, holding the sequencer's advisory lock. Disposing it gives the lock up and closes
/// the session, so a standby replica takes over.
/// </summary>
public sealed class SequencerLeadership : IAsyncDisposable
{
    internal SequencerLeadership(NpgsqlConnection connection) => Connection = connection;

    internal NpgsqlConnection Connection { get; }

    /// <summary>One numbering round on the leader's session (see <see cref="EventNumbering.NumberAsync"/>).</summary>
    public Task<IReadOnlyList<NumberedEvent>> NumberAsync(int limit, CancellationToken ct) =>
        EventNumbering.NumberAsync(Connection, limit, ct);

    public async ValueTask DisposeAsync()
    {
        // Closing the unpooled session ends the lock anyway; unlocking first hands it over without waiting for that.
        await ReleaseLockAsync();
        await Connection.DisposeAsync();
    }

    private async Task ReleaseLockAsync()
    {
        if (Connection.State != System.Data.ConnectionState.Open)
            return;
        try
        {
            await Connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_unlock_all()", cancellationToken: CancellationToken.None));
        }
        catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException)
        {
            // A broken connection is discarded by the pool, and its session (and lock) ends with it.
        }
    }
}

/// <summary>An event a round numbered, and how long after it occurred.</summary>
public sealed record NumberedEvent(long Sequence, double LagSeconds);
