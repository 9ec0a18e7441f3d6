using System.Globalization;
using Npgsql;

namespace RaBench;

/// <summary>
/// Where the statements of a measured loop went: pg_stat_statements reset before it, and the most called statements
/// after, per operation, with their total execution time. Says which part of the server's pipeline costs the most.
/// </summary>
public static class TopStatements
{
    public static async Task ResetAsync(BenchEnvironment env)
    {
        await using var connection = new NpgsqlConnection(env.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_stat_statements_reset()", connection);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task PrintAsync(BenchEnvironment env, long operations, int top)
    {
        await using var connection = new NpgsqlConnection(env.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT calls, total_exec_time, regexp_replace(left(query, 110), '\s+', ' ', 'g')
            FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
            ORDER BY calls DESC LIMIT @top
            """, connection);
        command.Parameters.AddWithValue("top", top);
        await using var reader = await command.ExecuteReaderAsync();
        Report.Note("most called statements, per operation (calls, total execution time):");
        while (await reader.ReadAsync())
            Report.Note(string.Create(CultureInfo.InvariantCulture,
                $"  {reader.GetInt64(0) / (double)Math.Max(1, operations),7:F2}/op {reader.GetDouble(1) / 1000,7:F1} s  {reader.GetString(2)}"));
    }
}
