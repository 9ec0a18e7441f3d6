using Customs.Ra.V1;
using Dapper;
using Grpc.Core;
using Npgsql;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;

namespace RaServer.Tests.Audit;

/// <summary>
/// A refusal made while PostgreSQL refuses connections is still answered precisely, journaled beside the server, and
/// written to the audit log once the database is back; a journaled refusal survives a restart of the server, and a
/// replay of one whose row was already written does not write it twice.
/// </summary>
public sealed class PendingRefusalTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private const string Refused = "ROLE_NOT_ALLOWED";
    private string connectionString = null!;
    private string journal = null!;

    public async Task InitializeAsync()
    {
        // Pooling off, so that every write opens a connection of its own and meets the database as it is now.
        var builder = new NpgsqlConnectionStringBuilder(await postgres.CreateDatabaseAsync()) { Pooling = false };
        connectionString = builder.ConnectionString;
        journal = Directory.CreateTempSubdirectory("ra-test-audit-journal-").FullName;
    }

    public async Task DisposeAsync()
    {
        await SetAcceptingAsync(true);
        Directory.Delete(journal, recursive: true);
    }

    private Task<RaServerHarness> StartAsync() =>
        RaServerHarness.StartAsync(postgres, connectionString: connectionString, auditPendingFolder: journal);

    [Fact]
    public async Task A_refusal_made_while_the_database_is_unreachable_is_written_once_it_is_back()
    {
        await using var server = await StartAsync();
        await SetAcceptingAsync(false);

        await RefuseAsync(server);
        Assert.Single(JournalFiles());

        await SetAcceptingAsync(true);
        // The writer retries on the server's clock: move it past each backoff until the row is there.
        await EventuallyAsync(async () =>
        {
            server.Clock.Advance(TimeSpan.FromSeconds(30));
            return await RefusalRowsAsync() == 1;
        });
        Assert.Empty(JournalFiles());
        Assert.Equal(1, await RefusalRowsAsync());
    }

    [Fact]
    public async Task A_journaled_refusal_survives_a_restart_and_a_replay_after_its_row_was_written_adds_no_second_row()
    {
        string saved;
        await using (var first = await StartAsync())
        {
            await SetAcceptingAsync(false);
            await RefuseAsync(first);
            saved = File.ReadAllText(Assert.Single(JournalFiles()));
        } // stopped with the refusal still pending: only the journal has it

        await SetAcceptingAsync(true);
        await using (var second = await StartAsync())
            await EventuallyAsync(async () => await RefusalRowsAsync() == 1 && JournalFiles().Length == 0);

        // As if the process had died after the row was written but before its journal file was deleted.
        File.WriteAllText(Path.Combine(journal, $"{IdOf(saved):N}.refusal.json"), saved);
        await using (var third = await StartAsync())
            await EventuallyAsync(() => Task.FromResult(JournalFiles().Length == 0));

        Assert.Equal(1, await RefusalRowsAsync());
        await using var connection = new NpgsqlConnection(connectionString);
        Assert.Equal(IdOf(saved), await connection.ExecuteScalarAsync<Guid>(
            "SELECT refusal_id FROM audit_log WHERE outcome = 'REFUSED' AND reason = @Refused", new { Refused }));
    }

    /// <summary>A refusal that needs no database: a role calling a service it may not.</summary>
    private static async Task RefuseAsync(RaServerHarness server)
    {
        var wrongRole = new CustomsOffice.CustomsOfficeClient(server.Channel(RaServerHarness.Client("registry")));
        await RpcAssert.RefusedAsync(StatusCode.PermissionDenied, Refused, async () => await wrongRole.EndMandateAsync(
            new EndMandateRequest { NationalId = WorkflowScenario.BrokerId, FirmUbn = WorkflowScenario.FirmUbn, EndDate = "2026-01-01" }));
    }

    private static Guid IdOf(string journaled) =>
        System.Text.Json.JsonDocument.Parse(journaled).RootElement.GetProperty("Id").GetGuid();

    private string[] JournalFiles() => Directory.GetFiles(journal, "*.refusal.json");

    private async Task<long> RefusalRowsAsync()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM audit_log WHERE outcome = 'REFUSED' AND reason = @Refused", new { Refused });
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not come true within 20 s");
            await Task.Delay(100);
        }
    }

    private Task SetAcceptingAsync(bool accepting) => DatabaseGate.SetAcceptingAsync(connectionString, accepting);
}
