namespace Ra.Cli.Failures;

/// <summary>
/// A failure `ra` found before or instead of asking the RA (a missing file, a wrong password, a bad URL). Its
/// message is the line shown to the person, as it is; <see cref="ExitCode"/> is one of <see cref="ExitCodes"/>.
/// </summary>
public sealed class CliFailure(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    public static CliFailure Usage(string message) => new(ExitCodes.Usage, message);

    public static CliFailure Local(string message) => new(ExitCodes.Local, message);
}
