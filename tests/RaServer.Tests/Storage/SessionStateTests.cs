using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RaServer.Storage;
using RaServer.Tests.Fixtures;

namespace RaServer.Tests.Storage;

/// <summary>
/// The main pool skips the driver's reset on rental (No Reset On Close), which is safe only while no pooled connection
/// ever carries session state. The sequencer's advisory lock and the LISTEN session come from the unpooled
/// SessionDataSource; these tests hold and release both, then check that every connection the pool hands out is clean.
/// </summary>
public sealed class SessionStateTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private const long LockKey = 424_242;

    [Fact]
    public void The_pool_skips_the_reset_and_prepares_statements_unless_the_connection_string_says_otherwise()
    {
        var defaults = new NpgsqlConnectionStringBuilder(StorageServiceCollectionExtensions.PooledConnectionString("Host=db;Database=ra"));
        Assert.True(defaults.NoResetOnClose);
        Assert.Equal(64, defaults.MaxAutoPrepare);

        var chosen = new NpgsqlConnectionStringBuilder(StorageServiceCollectionExtensions.PooledConnectionString(
            "Host=db;Database=ra;No Reset On Close=false;Max Auto Prepare=5"));
        Assert.False(chosen.NoResetOnClose);
        Assert.Equal(5, chosen.MaxAutoPrepare);
    }

    [Fact]
    public async Task After_leading_and_listening_no_pooled_connection_holds_a_lock_or_a_listen()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var services = new ServiceCollection();
        services.AddStorage(_ => connectionString);
        await using var provider = services.BuildServiceProvider();
        var pool = provider.GetRequiredService<NpgsqlDataSource>();
        Assert.True(new NpgsqlConnectionStringBuilder(pool.ConnectionString).NoResetOnClose);

        // Warm the pool first, so a session that wrongly came from it would be handed out again below.
        var warm = new List<NpgsqlConnection>();
        for (var i = 0; i < 4; i++)
            warm.Add(await pool.OpenConnectionAsync());
        foreach (var connection in warm)
            await connection.DisposeAsync();

        var leadership = await provider.GetRequiredService<EventNumbering>().LeadAsync(LockKey, CancellationToken.None);
        var subscription = await provider.GetRequiredService<EventNotifications>().ListenAsync(() => { }, () => { }, () => { }, CancellationToken.None);
        await using (var observer = await pool.OpenConnectionAsync())
        {
            Assert.Equal(1, await observer.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = @key::int AND granted", new { key = LockKey }));
        }
        await subscription.DisposeAsync();
        await leadership.DisposeAsync();

        var rented = new List<NpgsqlConnection>();
        try
        {
            for (var i = 0; i < 6; i++)
                rented.Add(await pool.OpenConnectionAsync());
            foreach (var connection in rented)
            {
                Assert.Empty(await connection.QueryAsync<string>("SELECT pg_listening_channels()"));
                Assert.Equal(0, await connection.ExecuteScalarAsync<long>(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"));
            }
            Assert.Equal(0, await rented[0].ExecuteScalarAsync<long>(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = @key::int", new { key = LockKey }));
        }
        finally
        {
            foreach (var connection in rented)
                await connection.DisposeAsync();
        }
    }
}
