using System.Text;

namespace Ra.Cli.Failures;

/// <summary>Folds text onto one line: a server's detail or a file name may hold newlines or control characters.</summary>
public static class OneLine
{
    public static string Of(string text)
    {
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c))
            {
                space = builder.Length > 0;
                continue;
            }
            if (space)
                builder.Append(' ');
            space = false;
            builder.Append(c);
        }
        return builder.ToString();
    }
}
