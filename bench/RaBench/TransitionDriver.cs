using System.Diagnostics;
using Npgsql;

namespace RaBench;

/// <summary>
/// Writes application state changes at a fixed rate, each in a transaction of its own as the workflow commits a
/// transition (the transition trigger writes the event and its NOTIFY). Event i moves application i mod n one step
/// along <see cref="Steps"/>, so every application takes each step once and steps of one application are n events
/// apart. updated_at, which the trigger copies into the event's occurred_at, is this process's clock just before the
/// statement is sent: the watcher's latency then covers the commit, the sequencer, the fan-out and the stream.
/// </summary>
public sealed class TransitionDriver(string connectionString, Guid[] applications, string[] steps, double perSecond)
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
            await using var command = new NpgsqlCommand(
                "UPDATE applications SET state = @to, updated_at = @at, transition_detail = NULL WHERE id = @id AND state = @from", connection);
            var id = new NpgsqlParameter<Guid>("id", default(Guid));
            command.Parameters.Add(id);
            var from = new NpgsqlParameter<string>("from", "");
            command.Parameters.Add(from);
            var to = new NpgsqlParameter<string>("to", "");
            command.Parameters.Add(to);
            var at = new NpgsqlParameter<DateTime>("at", default(DateTime));
            command.Parameters.Add(at);
            await command.PrepareAsync();
            long i;
            while ((i = Interlocked.Increment(ref next)) < Events)
            {
                var due = (long)(i * ticksPerEvent);
                var wait = due - clock.ElapsedTicks;
                if (wait > 0)
                    await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
                else
                    InterlockedMax(ref worstLagTicks, -wait);
                var step = (int)(i / applications.Length);
                id.TypedValue = applications[i % applications.Length];
                from.TypedValue = steps[step];
                to.TypedValue = steps[step + 1];
                at.TypedValue = DateTime.UtcNow;
                if (await command.ExecuteNonQueryAsync() != 1)
                    throw new InvalidOperationException($"application {id.TypedValue} was not in {steps[step]}");
                Interlocked.Increment(ref written);
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
