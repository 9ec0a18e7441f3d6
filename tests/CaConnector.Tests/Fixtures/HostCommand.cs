using System.Diagnostics;

namespace CaConnector.Tests.Fixtures;

/// <summary>Runs a root-only host command (ip, openssl) and fails loudly: the fixtures fail, they never skip.</summary>
internal static class HostCommand
{
    public static void Run(string file, params string[] arguments)
    {
        var (exitCode, output) = TryRun(file, arguments);
        if (exitCode != 0)
            throw new InvalidOperationException($"`{file} {string.Join(' ', arguments)}` exited {exitCode}: {output}");
    }

    public static (int ExitCode, string Output) TryRun(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr);
    }
}
