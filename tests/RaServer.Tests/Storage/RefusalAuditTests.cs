using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RaServer.Storage;
using RaServer.Tests.Fixtures;

namespace RaServer.Tests.Storage;

/// <summary>
/// A refusal's audit row is written whatever the refusal quotes, and a failed command never leaves a pooled
/// connection mid-protocol. Issue 9 saw "Received unexpected backend message DataRow" on valid payments after a burst
/// of refusals whose audit insert failed (U+0000 in jsonb); these tests run that sequence on the data source exactly
/// as the server builds it (auto-prepare on).
/// </summary>
public sealed class RefusalAuditTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private async Task<ServiceProvider> StorageAsync()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var services = new ServiceCollection();
        services.AddStorage(_ => connectionString);
        return services.BuildServiceProvider();
    }

    private static PendingRefusal Pending(RefusalRecord refusal) => new(Guid.NewGuid(), DateTimeOffset.UtcNow, refusal);

    [Fact]
    public async Task A_refusal_quoting_U0000_and_long_text_is_recorded_with_the_text_made_storable()
    {
        await using var provider = await StorageAsync();
        var db = provider.GetRequiredService<NpgsqlDataSource>();
        var audit = new PostgresRefusalWriter(db);

        await audit.WriteAsync(Pending(new RefusalRecord("CN=a\0b", "/x.Y/Z\0", "REASON\0", "bad \0 value " + new string('x', 10_000), ["f\0"])),
            CancellationToken.None);

        await using var connection = await db.OpenConnectionAsync();
        var row = await connection.QuerySingleAsync<(string Actor, string Rpc, string Reason, string Detail)>(
            "SELECT actor, rpc, reason, detail::text FROM audit_log WHERE outcome = 'REFUSED'");
        Assert.Equal("CN=a\uFFFDb", row.Actor);
        Assert.Equal("REASON\uFFFD", row.Reason);
        Assert.DoesNotContain("\\u0000", row.Detail, StringComparison.Ordinal);
        Assert.InRange(row.Detail.Length, 2_000, 2_200);
    }

    [Fact]
    public async Task Failed_commands_between_valid_ones_never_desynchronise_a_pooled_connection()
    {
        await using var provider = await StorageAsync();
        var db = provider.GetRequiredService<NpgsqlDataSource>();
        var audit = new PostgresRefusalWriter(db);
        var failures = 0;

        // The sequence seen: a burst of refusals, some whose insert fails in the server, then valid reads that
        // return rows. Repeated on a small pool so every connection sees failures and prepared statements.
        for (var round = 0; round < 200; round++)
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, 8), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
            {
                await audit.WriteAsync(Pending(new RefusalRecord("CN=t", "/r", "R", $"refusal {round}/{i} \0", [])), ct);
                await using var connection = await db.OpenConnectionAsync(ct);
                try
                {
                    await connection.ExecuteAsync(new CommandDefinition(
                        "INSERT INTO audit_log (occurred_at, actor, rpc, outcome, reason, detail) VALUES (now(), 'a', 'r', 'REFUSED', 'R', @Detail::jsonb)",
                        new { Detail = "{\"m\":\"\\u0000\"}" }, cancellationToken: ct));
                }
                catch (PostgresException e) when (e.SqlState == "22P05")
                {
                    Interlocked.Increment(ref failures);
                }
            });
            await using var reader = await db.OpenConnectionAsync();
            var rows = (await reader.QueryAsync<int>(
                "SELECT n FROM generate_series(1, @Count) AS n", new { Count = 50 + round % 7 })).ToList();
            Assert.Equal(Enumerable.Range(1, 50 + round % 7), rows);
        }

        Assert.Equal(200 * 8, failures);
        await using var check = await db.OpenConnectionAsync();
        Assert.Equal(200 * 8, await check.ExecuteScalarAsync<long>("SELECT count(*) FROM audit_log WHERE detail->>'message' LIKE 'refusal %'"));
    }
}
