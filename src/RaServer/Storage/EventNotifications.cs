using Dapper;
using Npgsql;

namespace RaServer.Storage;

/// <summary>
/// The event channels: <see cref="PendingChannel"/> (an event was written, migration 0005's trigger) and
/// <see cref="SequencedChannel"/> (a new highest sequence, <see cref="EventNumbering"/>). LISTEN is session state, so
/// a listener owns a dedicated connection of its own for as long as it listens.
/// </summary>
public sealed class EventNotifications(SessionDataSource sessions, NpgsqlDataSource pool)
{
    public const string PendingChannel = "ra_events_pending";
    public const string SequencedChannel = "ra_events";
    public const string CaRequestsChannel = "ra_ca_requests";

    /// <summary>
    /// Tells whichever replica leads the sequencer that events wait for their numbers (<see cref="PendingChannel"/>),
    /// or every replica's CA workers that requests wait (<see cref="CaRequestsChannel"/>): one NOTIFY on a pooled
    /// connection, in a transaction that does not wait for its WAL flush. The notification is not data (both also
    /// poll), so it need not survive a crash, and not waiting keeps the notify lock's hold short.
    /// </summary>
    public async Task AnnounceAsync(string channel, CancellationToken ct)
    {
        await using var connection = await pool.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "SET LOCAL synchronous_commit = off; SELECT pg_notify(@channel, '')", new { channel }, transaction: tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// Opens a dedicated session listening on the three channels. Notifications sent while no session listens are lost:
    /// whoever listens must re-read what it cares about after every (re)connection.
    /// </summary>
    /// <param name="onPending">Called for every <see cref="PendingChannel"/> notification, from inside <see cref="EventSubscription.WaitAsync"/>.</param>
    /// <param name="onSequenced">Called for every <see cref="SequencedChannel"/> notification, likewise.</param>
    /// <param name="onCaRequests">Called for every <see cref="CaRequestsChannel"/> notification, likewise.</param>
    public async Task<EventSubscription> ListenAsync(Action onPending, Action onSequenced, Action onCaRequests, CancellationToken ct)
    {
        var subscription = new EventSubscription(await sessions.OpenConnectionAsync(ct), onPending, onSequenced, onCaRequests);
        try
        {
            await subscription.StartAsync(ct);
            return subscription;
        }
        catch
        {
            await subscription.DisposeAsync();
            throw;
        }
    }
}

/// <summary>A dedicated LISTEN session; disposing it ends the session.</summary>
public sealed class EventSubscription : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly Action _onPending;
    private readonly Action _onSequenced;
    private readonly Action _onCaRequests;

    internal EventSubscription(NpgsqlConnection connection, Action onPending, Action onSequenced, Action onCaRequests)
    {
        _connection = connection;
        _onPending = onPending;
        _onSequenced = onSequenced;
        _onCaRequests = onCaRequests;
        _connection.Notification += OnNotification;
    }

    /// <summary>The backend pid of the session, so tests can terminate it.</summary>
    public int BackendProcessId => _connection.ProcessID;

    internal Task StartAsync(CancellationToken ct) =>
        _connection.ExecuteAsync(new CommandDefinition(
            $"LISTEN {EventNotifications.PendingChannel}; LISTEN {EventNotifications.SequencedChannel}; LISTEN {EventNotifications.CaRequestsChannel}",
            cancellationToken: ct));

    /// <summary>
    /// Delivers the notifications that arrive within <paramref name="idleCheck"/>. Notifications are raised from inside
    /// this wait, on the caller's loop; a quiet period ends in a trivial query so a silently dead connection fails here
    /// instead of leaving the replica deaf.
    /// </summary>
    public async Task WaitAsync(TimeSpan idleCheck, CancellationToken ct)
    {
        if (!await _connection.WaitAsync(idleCheck, ct))
            await _connection.ExecuteAsync(new CommandDefinition("SELECT 1", cancellationToken: ct));
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        if (e.Channel == EventNotifications.PendingChannel)
            _onPending();
        else if (e.Channel == EventNotifications.SequencedChannel)
            _onSequenced();
        else if (e.Channel == EventNotifications.CaRequestsChannel)
            _onCaRequests();
    }
}
