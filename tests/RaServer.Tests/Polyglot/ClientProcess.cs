using System.Diagnostics;
using RaServer.Tests.Contract;

namespace RaServer.Tests.Polyglot;

/// <summary>
/// Runs a program of clients/ (a generator or a contract test) from the repository root and captures what it
/// printed. A program that is not there fails the test: the partner clients would ship untested.
/// </summary>
internal static class ClientProcess
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError)
    {
        public string Output => $"exit {ExitCode}\n--- stdout\n{StandardOutput}\n--- stderr\n{StandardError}";
    }

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    public static async Task<Result> RunAsync(string program, params string[] arguments)
    {
        // A bare name ("node") is looked up on PATH by Process.Start, which throws when it is not there.
        var path = program.Contains('/') ? Path.Combine(RepositoryLayout.Root, program) : program;
        Assert.True(!program.Contains('/') || File.Exists(path),
            $"{path} is missing: run scripts/install-deps (it installs python3-grpcio, python3-grpc-tools and the npm packages)");
        var start = new ProcessStartInfo(path)
        {
            WorkingDirectory = RepositoryLayout.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {path}");
        // Both pipes at once, so a chatty program cannot block on a full pipe buffer.
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
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within {Timeout}:\n{await stderr}");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
