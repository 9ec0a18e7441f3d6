using System.Diagnostics;
using System.Text.RegularExpressions;

namespace RaBench;

/// <summary>What the report says about the machine at the time: the load averages, since the machine is shared.</summary>
public static class Machine
{
    public static string Uptime()
    {
        var load = File.ReadAllText("/proc/loadavg").Split(' ');
        var up = TimeSpan.FromSeconds(double.Parse(File.ReadAllText("/proc/uptime").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture));
        return $"up {up:d\\.hh\\:mm}, load average: {load[0]}, {load[1]}, {load[2]}";
    }

    /// <summary>
    /// PostgreSQL's own disk check, on the filesystem the run's clusters live on: one 8 kB write + fdatasync per
    /// operation, as a lone committer's WAL flush. Whether the disk bounds a figure is judged against this number.
    /// </summary>
    public static string FdatasyncRate()
    {
        var file = Path.Combine(Path.GetTempPath(), $"ra-bench-fsync-{Guid.NewGuid():N}");
        var start = new ProcessStartInfo("/usr/lib/postgresql/15/bin/pg_test_fsync", ["-s", "2", "-f", file]) { RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        File.Delete(file);
        var line = Regex.Match(output, @"^\s+fdatasync\s+([\d.]+) ops/sec\s+(\d+) usecs/op", RegexOptions.Multiline);
        return line.Success ? $"pg_test_fsync: fdatasync {double.Parse(line.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture):N0}/s ({line.Groups[2].Value} µs per flush, one 8 kB write)"
            : "pg_test_fsync: no fdatasync figure in its output";
    }
}
