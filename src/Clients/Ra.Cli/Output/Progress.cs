using Customs.Ra.V1;

namespace Ra.Cli.Output;

/// <summary>
/// The live line while `ra` waits on an application: on a terminal one line rewritten in place, otherwise (a log, a
/// pipe) one line per change. It goes to stderr, so stdout keeps only the answer.
/// </summary>
public sealed class Progress(TextWriter error)
{
    private readonly bool terminal = !Console.IsErrorRedirected;
    private int width;

    public void Show(string applicationId, ApplicationState state, string detail = "")
    {
        var line = $"{applicationId}: {Printer.Enum(state)}{(detail.Length > 0 ? $" ({detail})" : "")}";
        if (terminal)
        {
            error.Write("\r" + line.PadRight(width));
            width = line.Length;
        }
        else
            error.WriteLine(line);
    }

    /// <summary>Ends the rewritten line, so what follows starts on its own.</summary>
    public void Done()
    {
        if (terminal && width > 0)
            error.WriteLine();
        width = 0;
    }
}
