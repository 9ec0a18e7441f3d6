using System.Diagnostics;

namespace DevTools;

/// <summary>Runs a short-lived command to completion and captures what it printed.</summary>
internal static class ProcessRunner
{
    public sealed record Outcome(int ExitCode, string Output);

    public static async Task<Outcome> RunAsync(string fileName, IEnumerable<string> arguments, CancellationToken ct)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            // The postgres account may not be able to read our current directory, and initdb/pg_ctl complain when
            // they cannot resolve it.
            WorkingDirectory = "/",
        };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return new Outcome(process.ExitCode, (await stdout + await stderr).Trim());
    }
}
