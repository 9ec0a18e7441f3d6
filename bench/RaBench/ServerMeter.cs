using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace RaBench;

/// <summary>
/// The server side's counters, read before and after a measured loop: the RaServer process's CPU (this process: the
/// server is hosted here and the load runs in a process of its own), the CPU of every PostgreSQL process of the
/// cluster (from /proc), SQL statements (pg_stat_statements, utility statements included, so BEGIN, COMMIT and the
/// driver's connection reset count), transactions committed (pg_stat_database), WAL records and WAL flushes
/// (pg_stat_wal) and managed bytes allocated. PostgreSQL's cumulative statistics reach shared memory about once a
/// second per backend, so commits and WAL figures are exact to about a second of load at each end; the loops are
/// measured at a steady rate, so those edges largely cancel. Statements are counted when they finish, exactly.
/// With <c>serverProcessId</c> the server is that child process instead (the <c>startup</c> scenario's published
/// RaServer): its CPU is read from /proc, and its allocations cannot be seen from outside, so they read as 0.
/// </summary>
public sealed class ServerMeter(string connectionString, string dataDirectory, int? serverProcessId = null)
{

    /// <summary>The counters at the start of a loop; pg_stat_statements is emptied first, so <see cref="TopStatementsAsync"/> covers the loop alone.</summary>
    public async Task<MeterReading> StartAsync()
    {
        await using (var connection = await OpenAsync())
        await using (var reset = new NpgsqlCommand("SELECT pg_stat_statements_reset()", connection))
            await reset.ExecuteNonQueryAsync();
        return await ReadAsync();
    }

    /// <summary>Where PostgreSQL's time went since <see cref="StartAsync"/>: the statements with the most total execution time.</summary>
    public async Task<IReadOnlyList<string>> TopStatementsAsync(int count, long operations)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT calls, total_exec_time, regexp_replace(left(query, 110), '\s+', ' ', 'g')
            FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%'
            ORDER BY total_exec_time DESC LIMIT @count
            """, connection);
        command.Parameters.AddWithValue("count", count);
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"{reader.GetDouble(1) / Math.Max(1, operations),7:F3} ms/op {(double)reader.GetInt64(0) / Math.Max(1, operations),5:F2} calls/op  {reader.GetString(2)}"));
        return lines;
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async Task<MeterReading> ReadAsync()
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT (SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_statements),
                   d.xact_commit, w.wal_records, w.wal_sync, pg_current_wal_lsn() - '0/0'::pg_lsn
            FROM pg_stat_database d, pg_stat_wal w
            WHERE d.datname = current_database()
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new MeterReading(
            serverProcessId is { } pid ? ProcessCpu.Milliseconds(pid) : Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds,
            PostgresCpuMs(),
            reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), (long)reader.GetDecimal(4),
            serverProcessId is null ? GC.GetTotalAllocatedBytes(precise: false) : 0);
    }

    /// <summary>utime + stime of the postmaster and its live children (backends, WAL writer, checkpointer), plus its reaped children's, in ms.</summary>
    private double PostgresCpuMs()
    {
        var postmaster = int.Parse(File.ReadLines(Path.Combine(dataDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
        var ticks = 0L;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
                continue;
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue; // the process ended meanwhile
            }
            // Fields after the parenthesised command name: state ppid ... utime (14th field) stime (15th).
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ppid = int.Parse(fields[1], CultureInfo.InvariantCulture);
            if (pid == postmaster || ppid == postmaster)
                ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            // The postmaster's cutime + cstime (16th and 17th fields) hold the CPU of the backends it has reaped, so a
            // backend that exits during a loop (a client's connections closing) keeps counting instead of leaving the sum.
            if (pid == postmaster)
                ticks += long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
        }
        return ticks * 10.0; // USER_HZ is 100 on Linux: one tick is 10 ms
    }
}

/// <summary>The counters at one moment; subtract two to get what a loop cost.</summary>
public sealed record MeterReading(double ServerCpuMs, double PostgresCpuMs, long Statements, long Commits, long WalRecords, long WalSyncs, long WalBytes, long AllocatedBytes)
{
    public ServerCost Since(MeterReading start, long operations, double clientCpuMs)
    {
        double Per(double value) => operations == 0 ? double.NaN : value / operations;
        return new ServerCost(
            Per(ServerCpuMs - start.ServerCpuMs), Per(PostgresCpuMs - start.PostgresCpuMs), Per(clientCpuMs),
            Per(Statements - start.Statements - 1), Per(Commits - start.Commits), Per(WalRecords - start.WalRecords),
            Per(WalSyncs - start.WalSyncs), Per(WalBytes - start.WalBytes), Per(AllocatedBytes - start.AllocatedBytes) / 1024);
    }
}

/// <summary>Per operation: CPU of the server, PostgreSQL and the load client; statements, commits, WAL and allocations.</summary>
public sealed record ServerCost(double ServerCpuMs, double PostgresCpuMs, double ClientCpuMs, double Statements, double Commits,
    double WalRecords, double WalSyncs, double WalBytes, double AllocatedKiB)
{
    /// <summary>The same cost spread over <paramref name="parts"/> (an import's records).</summary>
    public ServerCost Divide(double parts) => new(ServerCpuMs / parts, PostgresCpuMs / parts, ClientCpuMs / parts, Statements / parts,
        Commits / parts, WalRecords / parts, WalSyncs / parts, WalBytes / parts, AllocatedKiB / parts);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"per op: CPU server {ServerCpuMs:F3} ms, PostgreSQL {PostgresCpuMs:F3} ms, client {ClientCpuMs:F3} ms; "
        + $"{Statements:F1} statements, {Commits:F2} commits, {WalRecords:F1} WAL records, {WalSyncs:F2} WAL flushes, {WalBytes:N0} WAL bytes; {AllocatedKiB:F1} KiB allocated");
}
