using System.Diagnostics;
using Npgsql;

namespace RaBench;

/// <summary>
/// Writes application state changes at a fixed rate, each in a transaction of its own as the workflow commits a
/// transition (the transition trigger writes the event; after the commit the server's CommittedChanges.EventsWritten is raised, as
/// the server's own unit of work raises it, so the sequencer is told at once, migration 0020). Event i moves application i mod n one step
/// along <see cref="Steps"/>, so every application takes each step once and steps of one application are n events
/// apart. updated_at, which the trigger copies into the event's occurred_at, is this process's clock just before the
/// statement is sent: the watcher's latency then covers the commit, the sequencer, the fan-out and the stream.
/// With <paramref name="perCommit"/> above 1, that many consecutive events share one transaction (one round trip, one
/// WAL flush), as a batch of fee confirmations would: on a disk whose flushes cost milliseconds, the only way to write
/// 1,000 events a second beside the server's own commits.
/// </summary>
public sealed class TransitionDriver(string connectionString, Guid[] applications, string[] steps, double perSecond, Action committed, int perCommit = 1)
{
    // Enough connections that one slow durable commit does not hold back the next events (group commit joins them).
    private const int Connections = 8;

    public string[] Steps => steps;

    public long Events => (long)applications.Length * (steps.Length - 1);

    /// <returns>How many events were written and how long the schedule took (longer than planned when the writer fell behind).</returns>
    public async Task<(long Written, TimeSpan Elapsed, double WorstLagMs)> RunAsync()
    {
        var next = -1L;
        var written = 0L;
        var worstLagTicks = 0L;
        var clock = Stopwatch.StartNew();
        var ticksPerEvent = Stopwatch.Frequency / perSecond;
        await Task.WhenAll(Enumerable.Range(0, Connections).Select(_ => Task.Run(async () =>
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            long first;
            while ((first = Interlocked.Add(ref next, perCommit) - perCommit + 1) < Events)
            {
                var due = (long)(first * ticksPerEvent);
                var wait = due - clock.ElapsedTicks;
                if (wait > 0)
                    await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
                else
                    InterlockedMax(ref worstLagTicks, -wait);
                // One batch is one implicit transaction: all its transitions commit together.
                await using var batch = new NpgsqlBatch(connection);
                var at = DateTime.UtcNow;
                for (var i = first; i < Math.Min(first + perCommit, Events); i++)
                {
                    var step = (int)(i / applications.Length);
                    var command = new NpgsqlBatchCommand(
                        "UPDATE applications SET state = @to, updated_at = @at, transition_detail = NULL WHERE id = @id AND state = @from");
                    command.Parameters.Add(new NpgsqlParameter<Guid>("id", applications[i % applications.Length]));
                    command.Parameters.Add(new NpgsqlParameter<string>("from", steps[step]));
                    command.Parameters.Add(new NpgsqlParameter<string>("to", steps[step + 1]));
                    command.Parameters.Add(new NpgsqlParameter<DateTime>("at", at));
                    batch.BatchCommands.Add(command);
                }
                await using (var reader = await batch.ExecuteReaderAsync())
                {
                    while (await reader.NextResultAsync())
                    {
                    }
                }
                committed();
                var moved = 0L;
                foreach (var command in batch.BatchCommands)
                    moved += command.RecordsAffected;
                if (moved != batch.BatchCommands.Count)
                    throw new InvalidOperationException($"{batch.BatchCommands.Count - moved} of {batch.BatchCommands.Count} applications were not in the expected state");
                Interlocked.Add(ref written, moved);
            }
        })));
        return (written, clock.Elapsed, worstLagTicks * 1000.0 / Stopwatch.Frequency);
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Volatile.Read(ref target);
        while (value > current && Interlocked.CompareExchange(ref target, value, current) is var seen && seen != current)
            current = seen;
    }
}
