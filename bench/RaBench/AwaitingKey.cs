using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace RaBench;

/// <summary>
/// Puts new organisation applications of the bench company in AWAITING_KEY by SQL, through the states the transition
/// trigger allows (RECEIVED → AWAITING_PAYMENT → AWAITING_KEY), as submit and payment would have left them. Not on the
/// clock: T1 measures what happens from the key onwards.
/// </summary>
public static class AwaitingKey
{
    /// <returns>The applications, and the last event sequence once their own events are numbered (a watcher's start).</returns>
    public static async Task<(Guid[] Ids, long AfterSequence)> PrepareAsync(BenchEnvironment env, int count)
    {
        var clock = Stopwatch.StartNew();
        var ids = Enumerable.Range(0, count).Select(_ => Guid.NewGuid()).ToArray();
        await using var connection = new NpgsqlConnection(env.ConnectionString);
        await connection.OpenAsync();
        await using (var tx = await connection.BeginTransactionAsync())
        {
            string[] steps =
            [
                """
                INSERT INTO applications (id, request_id, channel, service_type, kind, state, applicant_ubn, applicant_name,
                    subject_name, subject_ubn, notice_email, created_at, updated_at)
                SELECT id, id::text, 'ONLINE', 'NEW', 'ORGANIZATION', 'RECEIVED', @ubn, @name, @name, @ubn, 'bench@example.test', now(), now()
                FROM unnest(@ids) AS id
                """,
                "UPDATE applications SET state = 'AWAITING_PAYMENT' WHERE id = ANY(@ids)",
                "UPDATE applications SET state = 'AWAITING_KEY' WHERE id = ANY(@ids)",
            ];
            foreach (var sql in steps)
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
            $"prepared {count:N0} applications in AWAITING_KEY in {clock.Elapsed.TotalSeconds:F1} s (not timed)"));
        return (ids, after);
    }
}
