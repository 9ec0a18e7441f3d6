using System.CommandLine;

namespace Ra.Cli.Commands;

/// <summary>
/// `ra completion bash`: prints a bash function that asks ra itself for completions through System.CommandLine's
/// [suggest:POSITION] directive, so no dotnet-suggest is needed. Enable with: source &lt;(ra completion bash).
/// </summary>
public static class CompletionCommand
{
    public const string Bash = """
        # bash completion for ra: source <(ra completion bash), e.g. from ~/.bashrc
        _ra_complete() {
            local IFS=$'\n' cur="${COMP_WORDS[COMP_CWORD]}"
            COMPREPLY=($(compgen -W "$(command "${COMP_WORDS[0]}" "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null)" -- "$cur"))
        }
        complete -o bashdefault -o default -F _ra_complete ra
        """;

    public static Command Create()
    {
        var bash = new Command("bash", "Prints the bash completion script: source <(ra completion bash)");
        bash.SetAction(parse => parse.InvocationConfiguration.Output.WriteLine(Bash));
        var completion = new Command("completion", "Shell completion (tab completes commands, options and enum values)");
        completion.Subcommands.Add(bash);
        return completion;
    }
}
