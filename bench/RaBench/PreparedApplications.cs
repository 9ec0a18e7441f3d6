using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace RaBench;

/// <summary>
/// Puts new organisation applications of the bench company into a state by SQL, through the states the transition
/// trigger allows, as the workflow would have left them (each step writes its event, as in the server). Not on the
/// clock: the scenarios measure what happens from there on.
/// </summary>
public static class PreparedApplications
{
    /// <param name="steps">The states after RECEIVED, in order (none: the applications stay RECEIVED).</param>
    /// <returns>The applications, and the last event sequence once their own events are numbered (a watcher's start).</returns>
    public static async Task<(Guid[] Ids, long AfterSequence)> PrepareAsync(BenchEnvironment env, int count, params string[] steps)
    {
        var clock = Stopwatch.StartNew();
        var ids = Enumerable.Range(0, count).Select(_ => Guid.NewGuid()).ToArray();
        await using var connection = new NpgsqlConnection(env.ConnectionString);
        await connection.OpenAsync();
        await using (var tx = await connection.BeginTransactionAsync())
        {
            var statements = new List<string>
            {
                """
                INSERT INTO applications (id, request_id, channel, service_type, kind, state, applicant_ubn, applicant_name,
                    subject_name, subject_ubn, notice_email, created_at, updated_at)
                SELECT id, id::text, 'ONLINE', 'NEW', 'ORGANIZATION', 'RECEIVED', @ubn, @name, @name, @ubn, 'bench@example.test', now(), now()
                FROM unnest(@ids) AS id
                """,
            };
            statements.AddRange(steps.Select(state => $"UPDATE applications SET state = '{state}' WHERE id = ANY(@ids)"));
            foreach (var sql in statements)
            {
                await using var command = new NpgsqlCommand(sql, connection, tx);
                command.Parameters.AddWithValue("ids", ids);
                command.Parameters.AddWithValue("ubn", Workload.FirmUbn);
                command.Parameters.AddWithValue("name", Workload.FirmName);
                await command.ExecuteNonQueryAsync();
            }
            await tx.CommitAsync();
        }

        // The server's sequencer numbers the new events after the commit; wait for it, so the watcher starts after them.
        long after;
        while (true)
        {
            await using var pending = new NpgsqlCommand(
                "SELECT EXISTS (SELECT 1 FROM application_events WHERE sequence IS NULL), (SELECT last_sequence FROM event_sequencer)", connection);
            await using var reader = await pending.ExecuteReaderAsync();
            await reader.ReadAsync();
            after = reader.GetInt64(1);
            if (!reader.GetBoolean(0))
                break;
            await Task.Delay(100);
        }
        Report.Note(string.Create(CultureInfo.InvariantCulture,
            $"prepared {count:N0} applications in {(steps.Length == 0 ? "RECEIVED" : steps[^1])} in {clock.Elapsed.TotalSeconds:F1} s (not timed)"));
        return (ids, after);
    }
}
