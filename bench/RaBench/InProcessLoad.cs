using System.Globalization;
using RaBench.Load;

namespace RaBench;

/// <summary>
/// A baseline loop in this process (no gRPC): warmed up until steady like the load process's loops, and metered the
/// same way. The load and the work share this process, so "server CPU" is the whole cost and client CPU is 0.
/// </summary>
public static class InProcessLoad
{
    public static async Task<Measured> MeasureAsync(BenchEnvironment env, string name, int inFlight, TimeSpan duration, long maxOperations, Func<long, Task> operation)
    {
        var warmUp = "not steady after 12 s";
        var previous = double.NaN;
        for (var i = 1; i <= 12; i++)
        {
            var window = await LoadRunner.RunAsync("warm-up", inFlight, TimeSpan.FromSeconds(1), long.MaxValue, operation);
            if (!double.IsNaN(previous) && Math.Abs(window.PerSecond - previous) <= 0.10 * Math.Max(window.PerSecond, previous))
            {
                warmUp = string.Create(CultureInfo.InvariantCulture, $"steady after {i} s ({previous:N0} → {window.PerSecond:N0}/s)");
                break;
            }
            previous = window.PerSecond;
        }
        var before = await env.Meter.StartAsync();
        var result = await LoadRunner.RunAsync(name, inFlight, duration, maxOperations, operation);
        var after = await env.Meter.ReadAsync();
        return new Measured(result, after.Since(before, result.Succeeded, clientCpuMs: 0), warmUp, await env.Meter.TopStatementsAsync(4, result.Succeeded));
    }
}
