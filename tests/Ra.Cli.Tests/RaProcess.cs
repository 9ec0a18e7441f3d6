using System.Diagnostics;
using System.Reflection;

namespace Ra.Cli.Tests;

/// <summary>What one run of `ra` did.</summary>
public sealed record RaRun(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
}

/// <summary>
/// Runs the built `ra` executable (src/Clients/Ra.Cli's output, located by RaExecutable.targets) as a person or a
/// script would: a fresh process, stdin redirected (so never a terminal: no password prompt), a HOME and
/// XDG_CONFIG_HOME of its own and no RA_* variables, so the developer's own profile never leaks in.
/// </summary>
public static class RaProcess
{
    public static string Executable { get; } = typeof(RaProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RaExecutable").Value!;

    public static async Task<RaRun> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        if (!File.Exists(Executable))
            throw new FileNotFoundException($"the built ra is not at {Executable}; build src/Clients/Ra.Cli first");
        var home = Directory.CreateTempSubdirectory("ra-cli-home-").FullName;
        try
        {
            var start = new ProcessStartInfo(Executable)
            {
                RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            foreach (var arg in args)
                start.ArgumentList.Add(arg);
            foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("RA_", StringComparison.Ordinal)).ToList())
                start.Environment.Remove(name);
            start.Environment["HOME"] = home;
            start.Environment["XDG_CONFIG_HOME"] = Path.Combine(home, ".config");
            foreach (var (name, value) in environment ?? new Dictionary<string, string>())
                start.Environment[name] = value;
            using var process = Process.Start(start)!;
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"ra {string.Join(' ', start.ArgumentList)} did not end in 90 s");
            }
            return new RaRun(process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    public static Task<RaRun> RunAsync(params string[] args) => RunAsync(args, null);

    /// <summary>
    /// The error contract: exactly one line on stderr, "ra: " and the expected text, the expected exit code, and
    /// nothing that looks like a stack trace or an exception's type.
    /// </summary>
    public static void AssertFailsWithOneLine(RaRun run, int exitCode, string expected)
    {
        Assert.True(exitCode == run.ExitCode, $"expected exit {exitCode}: {run}");
        var lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line on stderr: {run}");
        Assert.True(lines[0].StartsWith("ra: ", StringComparison.Ordinal) && lines[0].Contains(expected, StringComparison.Ordinal),
            $"expected \"ra: ...{expected}...\": {run}");
        Assert.DoesNotContain("   at ", run.Stderr + run.Stdout);
        Assert.DoesNotContain("Exception", run.Stderr + run.Stdout);
    }
}
