using System.Diagnostics;

namespace RaServer.Tests.Contract;

/// <summary>Runs the pinned buf CLI and captures what it printed.</summary>
internal static class BufCli
{
    public sealed record Result(int ExitCode, string Output);

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static async Task<Result> RunAsync(string workingDirectory, params string[] arguments)
    {
        // A missing buf must fail the contract tests, not skip them: an unlinted contract would ship.
        Assert.True(File.Exists(RepositoryLayout.BufExecutable),
            $"buf is not installed at {RepositoryLayout.BufExecutable}. " +
            "Run `npm ci --prefix tools/buf` in the repository root.");

        var start = new ProcessStartInfo(RepositoryLayout.BufExecutable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);

        using var process = Process.Start(start)
            ?? throw new InvalidOperationException($"Could not start {RepositoryLayout.BufExecutable}.");
        // Read both pipes concurrently so a chatty buf cannot block on a full pipe buffer.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"buf {string.Join(' ', arguments)} did not finish within {Timeout}.");
        }
        return new Result(process.ExitCode, (await stdout) + (await stderr));
    }
}
