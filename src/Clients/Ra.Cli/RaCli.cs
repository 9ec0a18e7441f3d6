using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using Ra.Cli.Commands;
using Ra.Cli.Failures;
using Ra.Cli.Settings;

namespace Ra.Cli;

/// <summary>
/// The command tree of `ra` and its one way in: parse, refuse a usage mistake in one line (exit 2), else run the
/// command, whose failures <see cref="Actions"/> already turned into one line each.
/// </summary>
public static class RaCli
{
    public static RootCommand Build()
    {
        var root = new RootCommand($"""
            ra: the command line of the customs certificate RA (通關專屬憑證註冊中心).
            Settings come from the options below over the profile file (--profile, $RA_PROFILE,
            ~/.config/ra/profile.json); passwords from --password-file, RA_<ROLE>_PASSWORD, RA_PASSWORD or a prompt.
            {ExitCodes.Help}
            """);
        foreach (var option in GlobalOptions.All)
            root.Options.Add(option);
        Command[] commands =
        [
            ServerCommands.Info(), ServerCommands.Health(), RegistryCommands.Create(), FeesCommands.Create(),
            OfficeCommands.Create(), VerifyCommands.Verify(), VerifyCommands.CertStatus(),
            ApplyCommands.Create(), .. ApplicantCommands.All(), InstallCommands.Install(), InstallCommands.Uninstall(),
            EnrollCommands.Enroll(), EnrollCommands.Renew(), CompletionCommand.Create(),
        ];
        foreach (var command in commands)
            root.Subcommands.Add(command);
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var parse = Build().Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            Console.Error.WriteLine($"ra: {UsageLine(parse)}");
            return ExitCodes.Usage;
        }
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            return FailureReport.Report(e, null, Console.Error);
        }
    }

    /// <summary>The parse errors as one line, with where to look for the right form.</summary>
    private static string UsageLine(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var names = new List<string>();
        for (var result = parse.CommandResult; result.Parent is CommandResult parent; result = parent)
            names.Insert(0, result.Command.Name);
        var path = string.Join(' ', names.Prepend("ra"));
        var help = $"see '{path} --help'";
        var commands = string.Join(", ", command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name));
        if (command.Subcommands.Count > 0 && command.Action is null)
        {
            return parse.UnmatchedTokens.Count > 0
                ? $"'{parse.UnmatchedTokens[0]}' is not a command of '{path}' (commands: {commands}); {help}"
                : $"'{path}' needs a command: {commands}; {help}";
        }
        return OneLine.Of(string.Join("; ", parse.Errors.Select(e => e.Message.TrimEnd('.')))) + $"; {help}";
    }
}
