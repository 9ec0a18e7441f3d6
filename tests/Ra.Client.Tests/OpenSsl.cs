using System.Diagnostics;

namespace Ra.Client.Tests;

/// <summary>Runs the machine's openssl binary: the independent third party that checks what the SDK writes.</summary>
internal static class OpenSsl
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static Result Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("openssl did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill();
            throw new TimeoutException("openssl " + string.Join(' ', arguments));
        }
        return new Result(process.ExitCode, output.Result, error.Result);
    }

    /// <summary>Runs openssl and fails the test with its stderr when it exits non-zero; returns stdout and stderr.</summary>
    public static string Succeed(params string[] arguments)
    {
        var result = Run(arguments);
        Assert.True(result.ExitCode == 0, $"openssl {string.Join(' ', arguments)} failed: {result.Error}{result.Output}");
        return result.Output + result.Error;
    }
}
