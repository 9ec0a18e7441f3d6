using System.CommandLine;
using Ra.Cli.Failures;
using Ra.Cli.Settings;

namespace Ra.Cli.Commands;

/// <summary>
/// Binds a command to its work: makes the <see cref="CliContext"/>, runs the action, and turns any failure into
/// its one stderr line and exit code (<see cref="FailureReport"/>), with the address the call went to.
/// </summary>
public static class Actions
{
    public static Command Runs(this Command command, Func<CliContext, CancellationToken, Task<int>> action)
    {
        command.SetAction(async (parse, cancellation) =>
        {
            using var context = new CliContext(parse, Console.Out);
            try
            {
                return await action(context, cancellation);
            }
            catch (Exception e)
            {
                return FailureReport.Report(e, context.Address, Console.Error);
            }
        });
        return command;
    }

    /// <summary>A command that only groups others (registry, office, fees).</summary>
    public static Command Group(string name, string description, params Command[] subcommands)
    {
        var group = new Command(name, description);
        foreach (var subcommand in subcommands)
            group.Subcommands.Add(subcommand);
        return group;
    }

    public static Command With(this Command command, params Symbol[] symbols)
    {
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Argument argument: command.Arguments.Add(argument); break;
                case Option option: command.Options.Add(option); break;
                default: throw new ArgumentException($"{symbol.Name} is neither an argument nor an option", nameof(symbols));
            }
        }
        return command;
    }
}
