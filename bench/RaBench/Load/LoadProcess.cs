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

    public static async Task<Measured> RunAsync(LoadJob job, ServerMeter meter)
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
            while (await child.StandardOutput.ReadLineAsync(limit.Token) is { } line)
            {
                if (line == LoadMain.MeasureLine)
                {
                    before = await meter.StartAsync();
                    await child.StandardInput.WriteLineAsync(LoadMain.GoLine);
                    await child.StandardInput.FlushAsync();
                }
                else if (line.StartsWith(LoadMain.ResultPrefix, StringComparison.Ordinal) && before is not null)
                {
                    var after = await meter.ReadAsync();
                    var outcome = JsonSerializer.Deserialize<LoadOutcome>(line[LoadMain.ResultPrefix.Length..])!;
                    await child.WaitForExitAsync(limit.Token);
                    return new Measured(outcome.Result, after.Since(before, outcome.Result.Succeeded, outcome.ClientCpuMs), outcome.WarmUp,
                        await meter.TopStatementsAsync(4, outcome.Result.Succeeded));
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
public sealed record Measured(LoadResult Result, ServerCost Cost, string WarmUp, IReadOnlyList<string>? TopStatements = null)
{
    public double PerSecond => Result.PerSecond;
}
