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
}
