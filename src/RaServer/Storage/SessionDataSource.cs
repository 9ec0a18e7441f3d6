using Npgsql;

namespace RaServer.Storage;

/// <summary>
/// Connections that keep session state — the sequencer's advisory lock, a LISTEN, the migrator's lock — come from
/// here, unpooled: closing one ends its session, and the state with it. That is what lets the process's main pool
/// skip the driver's reset on every rental (No Reset On Close): no pooled connection ever carries session state.
/// </summary>
public sealed class SessionDataSource : IAsyncDisposable
{
    public SessionDataSource(string connectionString) =>
        DataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);

    internal NpgsqlDataSource DataSource { get; }

    public ValueTask<NpgsqlConnection> OpenConnectionAsync(CancellationToken ct) => DataSource.OpenConnectionAsync(ct);

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
