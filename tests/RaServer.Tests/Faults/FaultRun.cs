using System.Diagnostics;
using Dapper;
using Npgsql;
using Xunit.Abstractions;

namespace RaServer.Tests.Faults;

/// <summary>
/// One fault under load, start to end: the <see cref="MixedLoad"/> runs over both replicas of a <see cref="FaultBed"/>
/// until it is steady, the fault is made and held, undone, the load goes on a little, stops, and the backlog drains.
/// Then the end counts are asserted (<see cref="FaultFigures.AssertConsistent"/>) and the figures printed and recorded.
/// </summary>
public static class FaultRun
{
    /// <summary>Load before the fault, once the first CSRs went through.</summary>
    public static readonly TimeSpan Before = TimeSpan.FromSeconds(1);

    /// <summary>How long a fault is held by default: longer than the lease, the attempt timeout and the longest backoff.</summary>
    public static readonly TimeSpan During = TimeSpan.FromSeconds(4);

    /// <summary>Load after the fault, while its backlog drains.</summary>
    public static readonly TimeSpan After = TimeSpan.FromSeconds(1.5);

    /// <summary>Longest wait for the backlog to drain; a healthy run needs a few seconds.</summary>
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(30);

    public static async Task<FaultFigures> RunAsync(FaultBed bed, Fault fault, string test, ITestOutputHelper output, TimeSpan? during = null)
    {
        var run = Stopwatch.StartNew();
        FaultFigures figures;
        await using (var load = await MixedLoad.StartAsync(bed.Replicas))
        {
            await load.WaitForCsrsAsync(2);
            await Task.Delay(Before);

            if (fault.BetweenRequests)
                await load.BetweenRequestsAsync(fault.BeginAsync);
            else
                await fault.BeginAsync();
            var held = Stopwatch.StartNew();
            await Task.Delay(during ?? During);
            var backlog = await HighWaterAsync(bed.ConnectionString);
            await fault.EndAsync();
            held.Stop();

            var drain = Stopwatch.StartNew();
            var drained = await WaitAsync(() => BacklogDrainedAsync(bed.ConnectionString, backlog), DrainLimit);
            drain.Stop();
            await Task.Delay(After);
            await load.StopJourneysAsync();

            var acknowledged = load.Acknowledged;
            await WaitAsync(() => SettledAsync(bed.ConnectionString, acknowledged.CsrAccepted), DrainLimit);
            var lastSequence = await LastSequenceAsync(bed.ConnectionString);
            await load.WaitForWatchersAsync(lastSequence);

            figures = await FaultFigures.ReadAsync(bed, test, fault.Name, load, run.Elapsed, held.Elapsed, drained ? drain.Elapsed : null);
        }
        figures.Report(output);
        figures.AssertConsistent();
        return figures;
    }

    /// <summary>The newest CA request and notice when the fault ends: the backlog that must drain.</summary>
    private static async Task<(long CaRequest, long Mail)> HighWaterAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return await connection.QuerySingleAsync<(long, long)>(
            "SELECT (SELECT coalesce(max(id), 0) FROM ca_requests), (SELECT coalesce(max(id), 0) FROM mail_outbox)");
    }

    private static async Task<bool> BacklogDrainedAsync(string connectionString, (long CaRequest, long Mail) backlog)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return await connection.ExecuteScalarAsync<bool>(
            """
            SELECT NOT EXISTS (SELECT 1 FROM ca_requests WHERE id <= @CaRequest AND completed_at IS NULL)
               AND NOT EXISTS (SELECT 1 FROM mail_outbox WHERE id <= @Mail AND sent_at IS NULL)
            """, new { backlog.CaRequest, backlog.Mail });
    }

    /// <summary>Every acknowledged CSR completed, nothing left in either outbox, every event numbered.</summary>
    private static async Task<bool> SettledAsync(string connectionString, IReadOnlyList<string> csrAccepted)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        var ids = csrAccepted.Select(Guid.Parse).ToArray();
        return await connection.ExecuteScalarAsync<bool>(
            """
            SELECT (SELECT count(*) FROM applications WHERE id = ANY(@ids) AND state = 'COMPLETED') = cardinality(@ids)
               AND NOT EXISTS (SELECT 1 FROM ca_requests WHERE completed_at IS NULL)
               AND NOT EXISTS (SELECT 1 FROM mail_outbox WHERE sent_at IS NULL)
               AND NOT EXISTS (SELECT 1 FROM application_events WHERE sequence IS NULL)
            """, new { ids });
    }

    private static async Task<long> LastSequenceAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return await connection.ExecuteScalarAsync<long>("SELECT coalesce(max(sequence), 0) FROM application_events");
    }

    private static async Task<bool> WaitAsync(Func<Task<bool>> condition, TimeSpan limit)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            if (waited.Elapsed > limit)
                return false;
            await Task.Delay(100);
        }
        return true;
    }
}
