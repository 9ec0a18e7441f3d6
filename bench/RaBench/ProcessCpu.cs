using System.Globalization;

namespace RaBench;

/// <summary>
/// Another process's CPU time as the kernel counts it (/proc/PID/stat utime + stime), so a server in a child
/// process is measured the same way as PostgreSQL's processes, whatever runtime settings it was started with.
/// </summary>
public static class ProcessCpu
{
    public static double Milliseconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the parenthesised command name (which may hold spaces): state ppid ... utime (14th) stime (15th).
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks * 10.0; // USER_HZ is 100 on Linux: one tick is 10 ms
    }
}
