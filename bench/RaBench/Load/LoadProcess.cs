using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace RaBench.Load;

/// <summary>
/// Runs a <see cref="LoadJob"/> in a child process of this same program and reads the server's counters exactly
/// around its measured loop (the child says MEASURE, the parent reads, answers GO, and reads again at RESULT).
/// </summary>
public static class LoadProcess
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    /// <param name="beforeMeasure">Runs when the load process is ready, before the first meter reading (wait for the server to see it ready).</param>
    /// <param name="whileMeasured">Starts right after GO, and is awaited before the second reading: what an observing workload watches.</param>
    public static async Task<Measured> RunAsync(LoadJob job, ServerMeter meter, Func<Task>? beforeMeasure = null, Func<Task>? whileMeasured = null)
    {
        var jobFile = Path.Combine(Path.GetTempPath(), $"ra-bench-job-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(jobFile, job.ToJson());
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        // Run as `dotnet RaBench.dll` the child needs the assembly path; as the apphost it does not.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        start.ArgumentList.Add("load");
        start.ArgumentList.Add(jobFile);
        foreach (var name in new[] { "DOTNET_ThreadPool_UnfairSemaphoreSpinLimit", "DOTNET_TieredPGO", "DOTNET_TieredCompilation" })
            if (Environment.GetEnvironmentVariable(name) is { } value)
                start.Environment[name] = value;

        using var child = Process.Start(start)!;
        var stderr = child.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(Limit);
        try
        {
            MeterReading? before = null;
            var driven = Task.CompletedTask;
            while (await child.StandardOutput.ReadLineAsync(limit.Token) is { } line)
            {
                if (line == LoadMain.MeasureLine)
                {
                    if (beforeMeasure is not null)
                        await beforeMeasure();
                    before = await meter.StartAsync();
                    await child.StandardInput.WriteLineAsync(LoadMain.GoLine);
                    await child.StandardInput.FlushAsync();
                    if (whileMeasured is not null)
                        driven = Task.Run(whileMeasured);
                }
                else if (line.StartsWith(LoadMain.ResultPrefix, StringComparison.Ordinal) && before is not null)
                {
                    await driven;
                    var after = await meter.ReadAsync();
                    var outcome = JsonSerializer.Deserialize<LoadOutcome>(line[LoadMain.ResultPrefix.Length..])!;
                    await child.WaitForExitAsync(limit.Token);
                    return new Measured(outcome.Result, after.Since(before, outcome.Result.Succeeded, outcome.ClientCpuMs), outcome.WarmUp,
                        await meter.TopStatementsAsync(4, outcome.Result.Succeeded), outcome.Detail);
                }
                else
                {
                    Console.WriteLine($"    [load] {line}");
                }
            }
            await child.WaitForExitAsync(limit.Token);
            throw new InvalidOperationException($"load process for {job.Workload} exited with {child.ExitCode} without a result: {await stderr}");
        }
        finally
        {
            if (!child.HasExited)
                child.Kill(entireProcessTree: true);
            File.Delete(jobFile);
        }
    }
}

/// <summary>A loop measured from the load process, with the server's cost per operation over exactly that loop.</summary>
public sealed record Measured(LoadResult Result, ServerCost Cost, string WarmUp, IReadOnlyList<string>? TopStatements = null, string? Detail = null)
{
    public double PerSecond => Result.PerSecond;
}
