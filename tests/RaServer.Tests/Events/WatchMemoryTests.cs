using System.Diagnostics;
using Dapper;
using Npgsql;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;
using Xunit.Abstractions;
using static RaServer.Tests.Events.TestApplications;
using static RaServer.Tests.Events.WatchApplicationTests;

namespace RaServer.Tests.Events;

/// <summary>A WatchApplication client that stops reading, measured by the process's managed heap.</summary>
/// <remarks>Serial: GC.GetTotalMemory counts the whole test process, so tests running beside it would distort it.</remarks>
[Collection(Serial.Name)]
public sealed class WatchMemoryTests(PostgresFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private RaServerHarness server = null!;
    private NpgsqlConnection db = null!;
    private WatchStreams watch = null!;

    public async Task InitializeAsync()
    {
        server = await RaServerHarness.StartAsync(postgres);
        db = await OpenAsync(server.ConnectionString);
        watch = new WatchStreams(server);
    }

    public async Task DisposeAsync()
    {
        await db.DisposeAsync();
        await server.DisposeAsync();
    }

    [Fact]
    public async Task A_client_that_stops_reading_holds_up_neither_other_watchers_nor_the_servers_memory()
    {
        const int Burst = 5000;
        var id = await CreateAsync(db);
        using var slow = watch.AllApplications();
        using var prompt = watch.Application(id);
        await WatchStreams.ReadAsync(prompt, 1);

        var before = GC.GetTotalMemory(forceFullCollection: true);
        await db.ExecuteAsync(
            """
            INSERT INTO applications (id, request_id, channel, service_type, kind, state, applicant_ubn, applicant_name,
                                      subject_name, subject_ubn, notice_email, created_at, updated_at)
            SELECT gen_random_uuid(), 'burst-' || n, 'ONLINE', 'NEW', 'ORGANIZATION', 'RECEIVED', @CompanyUbn, 'x', 'x',
                   @CompanyUbn, 'ra@example.test', now(), now()
            FROM generate_series(1, @Burst) AS n
            """, new { CompanyUbn, Burst });
        await MoveAsync(db, id, "AWAITING_PAYMENT");
        var clock = Stopwatch.StartNew();
        await WatchStreams.ReadAsync(prompt, 1, within: TimeSpan.FromSeconds(5));
        output.WriteLine($"the reading watcher got its event {clock.ElapsedMilliseconds} ms after the burst of {Burst}");
        var grown = GC.GetTotalMemory(forceFullCollection: true) - before;
        output.WriteLine($"managed heap growth with an unread stream behind by {Burst} events: {grown / 1024} KiB");
        Assert.True(grown < 32 * 1024 * 1024, $"the heap grew by {grown / 1024} KiB");

        // Nothing was lost by not reading: the slow client still gets every event, in order.
        var all = await WatchStreams.ReadAsync(slow, Burst + 2, TimeSpan.FromSeconds(30));
        AssertStrictlyIncreasing(all);
    }
}
