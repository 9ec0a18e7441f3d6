using System.Text;

namespace Ra.Client.Files;

/// <summary>
/// A plug-in configuration file held so that writing it back changes only the values set: every other byte
/// (comments, blank lines, order, spacing, line endings, a missing final newline, a UTF-8 BOM, comments in Big5)
/// comes back as it was. The format is in docs/PLUGIN-FILE.md: lines of key=value; a line whose first non-blank
/// character is '#' or ';' is a comment even if it holds '='; the key is the text before the first '=' and the value
/// the rest, both trimmed of spaces and tabs; no escapes, no continuation lines. Lines that are neither are kept and
/// ignored. A key found on several lines reads as its last line's value (as most key=value readers do), and setting
/// it rewrites every one of those lines, so a reader that takes the first agrees too.
/// </summary>
public sealed class PluginConfigDocument
{
    // Each byte is one Latin-1 char, so the text maps back to the file's exact bytes whatever its encoding; the
    // delimiters are ASCII, and no byte of a UTF-8 or Big5 multi-byte character is '=', '#', ';', CR or LF.
    private static readonly Encoding Bytes = Encoding.Latin1;
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    private readonly List<Line> lines;
    private readonly bool bom;
    private readonly Encoding valueEncoding;

    private PluginConfigDocument(List<Line> lines, bool bom, Encoding valueEncoding)
    {
        this.lines = lines;
        this.bom = bom;
        this.valueEncoding = valueEncoding;
    }

    /// <summary>
    /// Reads a file's bytes. Values are read and written in <paramref name="valueEncoding"/> (UTF-8 unless told,
    /// e.g. Big5 for a system that reads its file so); the rest of the file is never decoded.
    /// </summary>
    public static PluginConfigDocument Parse(ReadOnlySpan<byte> content, Encoding? valueEncoding = null)
    {
        var bom = content.StartsWith(Utf8Bom);
        var text = Bytes.GetString(bom ? content[Utf8Bom.Length..] : content);
        var lines = new List<Line>();
        var start = 0;
        while (start < text.Length)
        {
            var newline = text.IndexOf('\n', start);
            if (newline < 0)
            {
                lines.Add(new Line(text[start..], ""));
                break;
            }
            var end = newline > start && text[newline - 1] == '\r' ? newline - 1 : newline;
            lines.Add(new Line(text[start..end], text[end..(newline + 1)]));
            start = newline + 1;
        }
        return new PluginConfigDocument(lines, bom, valueEncoding ?? new UTF8Encoding(false));
    }

    /// <summary>The keys of the entry lines, in file order, each once.</summary>
    public IReadOnlyList<string> Keys => lines.Select(l => l.Key).OfType<string>().Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The value of <paramref name="key"/> on its last line; null when no line holds it.</summary>
    public string? Get(string key)
    {
        var last = lines.LastOrDefault(l => l.Key == key);
        return last is null ? null : valueEncoding.GetString(Bytes.GetBytes(last.Value!));
    }

    /// <summary>
    /// Sets <paramref name="key"/> on every line that holds it, keeping what precedes the value (spacing around
    /// '='); a key no line holds is added as a last line "key=value" with the file's line ending.
    /// </summary>
    /// <exception cref="ArgumentException">a key that could not be read back as one, or a value with a line break or
    /// surrounding blanks (which reading would lose).</exception>
    public void Set(string key, string value)
    {
        CheckKey(key);
        if (value.AsSpan().IndexOfAny('\r', '\n') >= 0)
            throw new ArgumentException("a value cannot hold a line break", nameof(value));
        if (value.Trim(' ', '\t').Length != value.Length)
            throw new ArgumentException("a value cannot start or end with a space or tab", nameof(value));
        var encoded = Bytes.GetString(valueEncoding.GetBytes(value));
        var found = false;
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].Key != key)
                continue;
            lines[i] = lines[i] with { Text = lines[i].Text[..lines[i].ValueStart] + encoded };
            found = true;
        }
        if (!found)
            Append($"{key}={encoded}");
    }

    /// <summary>The file's bytes.</summary>
    public byte[] ToBytes()
    {
        var text = string.Concat(lines.Select(l => l.Text + l.Ending));
        return bom ? [.. Utf8Bom, .. Bytes.GetBytes(text)] : Bytes.GetBytes(text);
    }

    private void Append(string text)
    {
        // The file's own line ending (its first); a file with none gets the platform's.
        var ending = lines.Select(l => l.Ending).FirstOrDefault(e => e.Length > 0) ?? Environment.NewLine;
        if (lines.Count == 0)
        {
            lines.Add(new Line(text, ""));
            return;
        }
        var last = lines[^1];
        if (last.Ending.Length > 0)
            lines.Add(new Line(text, ending));
        else
        {
            // No final newline before: the new last line has none either.
            lines[^1] = last with { Ending = ending };
            lines.Add(new Line(text, ""));
        }
    }

    private static void CheckKey(string key)
    {
        if (key.Length == 0 || key.Any(c => c is '=' or ' ' or '\t' or '\r' or '\n') || key[0] is '#' or ';')
            throw new ArgumentException($"'{key}' cannot be a key: empty, or holds '=', a blank or a line break, or starts with '#' or ';'", nameof(key));
    }

    private sealed record Line(string Text, string Ending)
    {
        private int EqualsAt => IsComment ? -1 : Text.IndexOf('=');

        private bool IsComment => Text.TrimStart(' ', '\t') is var t && (t.Length == 0 || t[0] is '#' or ';');

        /// <summary>The entry's key; null for a comment, a blank line or a line without '=' or key.</summary>
        public string? Key => EqualsAt > 0 && Text[..EqualsAt].Trim(' ', '\t') is { Length: > 0 } key ? key : null;

        /// <summary>The raw value, trimmed.</summary>
        public string? Value => Key is null ? null : Text[(EqualsAt + 1)..].Trim(' ', '\t');

        /// <summary>Where the value starts: after '=' and the blanks that follow it.</summary>
        public int ValueStart
        {
            get
            {
                var at = EqualsAt + 1;
                while (at < Text.Length && Text[at] is ' ' or '\t')
                    at++;
                return at;
            }
        }
    }
}
