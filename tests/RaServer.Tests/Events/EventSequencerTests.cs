using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using RaServer.Api;
using RaServer.Domain;
using RaServer.Hosting;
using RaServer.Storage;
using RaServer.Workers;
using RaServer.Workflow;
using RaServer.Tests.Fixtures;
using static RaServer.Tests.Events.TestApplications;

namespace RaServer.Tests.Events;

/// <summary>
/// Numbering rounds run directly on a database no server uses, so no other sequencer interferes and every number is
/// predictable.
/// </summary>
public sealed class EventSequencerTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private NpgsqlDataSource dataSource = null!;
    private SessionDataSource sessions = null!;
    private EventSequencer sequencer = null!;

    public async Task InitializeAsync()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        dataSource = NpgsqlDataSource.Create(connectionString);
        sessions = new SessionDataSource(connectionString);
        sequencer = new EventSequencer(new EventNumbering(sessions), Options.Create(new EventsOptions { SequencerBatchSize = 2 }),
            new EventsMetrics(), TimeProvider.System, NullLogger<EventSequencer>.Instance);
    }

    public async Task DisposeAsync()
    {
        await sessions.DisposeAsync();
        await dataSource.DisposeAsync();
    }

    [Fact]
    public async Task A_round_numbers_committed_events_in_id_order_after_the_last_number_and_announces_the_highest()
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
            ids.Add(await CreateAsync(connection));
        await using var listener = await dataSource.OpenConnectionAsync();
        var announced = new List<string>();
        listener.Notification += (_, e) => announced.Add(e.Payload);
        await listener.ExecuteAsync("LISTEN ra_events");

        Assert.Equal(2, await sequencer.RunRoundAsync(CancellationToken.None)); // the batch size caps a round
        Assert.Equal(1, await sequencer.RunRoundAsync(CancellationToken.None));
        Assert.Equal(0, await sequencer.RunRoundAsync(CancellationToken.None));
        await listener.WaitAsync(TimeSpan.FromSeconds(5));
        await listener.WaitAsync(TimeSpan.FromSeconds(1));

        var numbered = (await connection.QueryAsync<(Guid, long)>(
            "SELECT application_id, sequence FROM application_events ORDER BY id")).ToList();
        Assert.Equal(ids.Select((id, i) => (id, (long)i + 1)), numbered);
        Assert.Equal(3, await connection.QuerySingleAsync<long>("SELECT last_sequence FROM event_sequencer"));
        Assert.Equal(["2", "3"], announced);
    }

    [Fact]
    public async Task An_event_still_uncommitted_is_not_numbered_and_gets_a_higher_number_than_events_committed_before_it()
    {
        await using var slow = await dataSource.OpenConnectionAsync();
        await using var slowTx = await slow.BeginTransactionAsync();
        var slowId = await CreateAsync(slow, tx: slowTx); // takes the lower event id
        await using var fast = await dataSource.OpenConnectionAsync();
        var fastId = await CreateAsync(fast);

        Assert.Equal(1, await sequencer.RunRoundAsync(CancellationToken.None));
        await slowTx.CommitAsync();
        Assert.Equal(1, await sequencer.RunRoundAsync(CancellationToken.None));

        var rows = (await fast.QueryAsync<(Guid Application, long Id, long Sequence)>(
            "SELECT application_id, id, sequence FROM application_events")).ToDictionary(r => r.Application);
        Assert.True(rows[slowId].Id < rows[fastId].Id);
        Assert.Equal(1, rows[fastId].Sequence);
        Assert.Equal(2, rows[slowId].Sequence);
    }
}
