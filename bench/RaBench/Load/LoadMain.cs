using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace RaBench.Load;

/// <summary>
/// The load process (<c>RaBench load JOBFILE</c>): prepares the workload, warms it up until its rate is steady, then
/// tells the parent "MEASURE" on stdout and waits for "GO" on stdin (the parent reads the server's counters in
/// between), measures, and prints "RESULT {json}". Its own CPU time over the measurement goes back with the result,
/// so the client's cost is reported apart from the server's.
/// </summary>
public static class LoadMain
{
    public const string MeasureLine = "MEASURE";
    public const string GoLine = "GO";
    public const string ResultPrefix = "RESULT ";

    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);
    private const int MaxWarmUpWindows = 12;
    private const double SteadyWithin = 0.10;

    public static async Task<int> RunAsync(string jobFile)
    {
        var job = LoadJob.FromJson(await File.ReadAllTextAsync(jobFile));
        await using var workload = LoadWorkloads.Create(job.Workload);
        var clock = Stopwatch.StartNew();
        await workload.PrepareAsync(job, CancellationToken.None);
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{job.Workload}: prepared in {clock.Elapsed.TotalSeconds:F1} s"));
        var warmUp = job.WarmUp ? await WarmUpAsync(job, workload) : "none";

        Console.Out.WriteLine(MeasureLine);
        Console.Out.Flush();
        if (Console.In.ReadLine() != GoLine)
            return 3;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var (result, detail) = workload is IObservingWorkload observing
            ? await observing.ObserveAsync()
            : (await LoadRunner.RunAsync(job.Workload, job.InFlight, TimeSpan.FromSeconds(job.MeasureSeconds), job.MaxOperations, workload.OperationAsync), null);
        var clientCpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        Console.Out.WriteLine(ResultPrefix + JsonSerializer.Serialize(new LoadOutcome(result, clientCpu.TotalMilliseconds, warmUp, detail)));
        Console.Out.Flush();
        return 0;
    }

    /// <summary>One-second windows until two in a row are within 10 % of each other (JIT, pools and caches settled), at most 12.</summary>
    private static async Task<string> WarmUpAsync(LoadJob job, ILoadWorkload workload)
    {
        var previous = double.NaN;
        for (var i = 1; i <= MaxWarmUpWindows; i++)
        {
            var window = await LoadRunner.RunAsync("warm-up", job.InFlight, Window, long.MaxValue, workload.OperationAsync);
            if (window.Failed > 0)
                throw new InvalidOperationException($"warm-up of {job.Workload} failed: {window.FirstError}");
            var rate = window.PerSecond;
            if (i > job.MinWarmUpWindows && !double.IsNaN(previous) && Math.Abs(rate - previous) <= SteadyWithin * Math.Max(rate, previous))
                return string.Create(CultureInfo.InvariantCulture, $"steady after {i} s ({previous:N0} → {rate:N0}/s)");
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"warm-up window {i}: {rate:N0}/s"));
            previous = rate;
        }
        return string.Create(CultureInfo.InvariantCulture, $"not steady after {MaxWarmUpWindows} s (last {previous:N0}/s)");
    }
}

/// <summary>What the load process sends back: the loop's figures, its own CPU, how the warm-up ended and what an observing workload checked.</summary>
public sealed record LoadOutcome(LoadResult Result, double ClientCpuMs, string WarmUp, string? Detail = null);
