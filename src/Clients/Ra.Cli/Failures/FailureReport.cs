using System.Security.Cryptography;
using Grpc.Core;
using Ra.Client.Calls;
using Ra.Client.Keys;

namespace Ra.Cli.Failures;

/// <summary>
/// Turns whatever ended a command into its exit code and the one line for stderr ("ra: ..."). No stack trace is
/// ever shown: a person cannot act on one, and the line says what to fix.
/// </summary>
public static class FailureReport
{
    public static (int ExitCode, string Line) Describe(Exception e, string? address) => e switch
    {
        CliFailure failure => (failure.ExitCode, OneLine.Of(failure.Message)),
        RpcException rpc => RpcFailureLine.Describe(rpc, address ?? "the server"),
        RaRefusedException refused => RpcFailureLine.Describe(refused),
        RaUnreachableException unreachable => RpcFailureLine.Describe(unreachable),
        KeyFileException keys => (ExitCodes.Local, OneLine.Of(keys.Message)),
        OperationCanceledException => (ExitCodes.Unexpected, "cancelled"),
        UnauthorizedAccessException denied => (ExitCodes.Local, OneLine.Of($"cannot read or write a file: {denied.Message}")),
        IOException io => (ExitCodes.Local, OneLine.Of(io.Message)),
        CryptographicException crypto => (ExitCodes.Local, OneLine.Of($"a key or certificate could not be used: {crypto.Message}")),
        _ => (ExitCodes.Unexpected, OneLine.Of($"unexpected failure in ra ({e.GetType().Name}): {e.Message}")),
    };

    /// <summary>Writes the line; the "ra: " prefix says which program is speaking in a pipeline.</summary>
    public static int Report(Exception e, string? address, TextWriter error)
    {
        var (exitCode, line) = Describe(e, address);
        error.WriteLine($"ra: {line}");
        return exitCode;
    }
}
