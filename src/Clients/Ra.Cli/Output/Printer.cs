using System.Collections;
using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace Ra.Cli.Output;

/// <summary>
/// Prints answers: for people, "key: value" lines for one record and tables for lists; with --json, the answer
/// message as protobuf JSON (lowerCamelCase names, every field including defaults) and nothing else on stdout.
/// Times are shown in Taiwan time (UTC+8, no daylight saving), the time the RA's documents use.
/// </summary>
public sealed class Printer(TextWriter output, bool json)
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));
    private static readonly TimeSpan Taiwan = TimeSpan.FromHours(8);

    public bool Json { get; } = json;

    /// <summary>The answer: JSON, or its fields as key: value lines.</summary>
    public void Record(IMessage answer)
    {
        if (Json)
            output.WriteLine(Formatter.Format(answer));
        else
            KeyValues(Flatten(answer, ""));
    }

    /// <summary>A list answer: JSON of the whole message, or a table of the rows.</summary>
    public void Table<T>(IMessage answer, IReadOnlyList<T> rows, params (string Header, Func<T, string> Cell)[] columns)
    {
        if (Json)
        {
            output.WriteLine(Formatter.Format(answer));
            return;
        }
        var cells = rows.Select(row => columns.Select(c => c.Cell(row)).ToArray()).ToList();
        var widths = columns.Select((c, i) => cells.Select(r => r[i].Length).Append(c.Header.Length).Max()).ToArray();
        output.WriteLine(Row(columns.Select(c => c.Header).ToArray(), widths));
        foreach (var row in cells)
            output.WriteLine(Row(row, widths));
    }

    /// <summary>A line for people (a summary, a next step); suppressed with --json so stdout stays one JSON document.</summary>
    public void Note(string text)
    {
        if (!Json)
            output.WriteLine(text);
    }

    public static string Time(Timestamp? timestamp) =>
        timestamp is null ? "" : timestamp.ToDateTimeOffset().ToOffset(Taiwan).ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);

    public static string Enum<T>(T value) where T : struct, System.Enum => ProtoEnums.Short(value);

    private static string Row(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((cell, i) => i == cells.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd();

    private void KeyValues(List<(string Key, string Value)> lines)
    {
        var width = lines.Count == 0 ? 0 : lines.Max(l => l.Key.Length) + 1;
        foreach (var (key, value) in lines)
            output.WriteLine($"{(key + ":").PadRight(width)} {value}");
    }

    /// <summary>Every field that carries something, with its dotted path; false booleans are shown (they say something).</summary>
    private static List<(string, string)> Flatten(IMessage message, string prefix)
    {
        var lines = new List<(string, string)>();
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            var value = field.Accessor.GetValue(message);
            var key = prefix + field.Name;
            if (field.IsRepeated)
            {
                var index = 0;
                foreach (var item in (IList)value)
                    lines.AddRange(Item(field, item, $"{key}[{index++}]"));
            }
            else if (field.FieldType == FieldType.Message ? value is not null : !IsDefault(field, value))
                lines.AddRange(Item(field, value, key));
        }
        return lines;
    }

    private static IEnumerable<(string, string)> Item(FieldDescriptor field, object value, string key) => field.FieldType switch
    {
        FieldType.Message when value is Timestamp timestamp => [(key, Time(timestamp))],
        FieldType.Message => Flatten((IMessage)value, key + "."),
        FieldType.Enum => [(key, field.EnumType.FindValueByNumber(Convert.ToInt32(value, CultureInfo.InvariantCulture)) is { } v
            ? ProtoNames.Short(v) : value.ToString()!)],
        FieldType.Bytes => [(key, $"({((ByteString)value).Length} bytes)")],
        FieldType.Bool => [(key, (bool)value ? "yes" : "no")],
        _ => [(key, Convert.ToString(value, CultureInfo.InvariantCulture) ?? "")],
    };

    private static bool IsDefault(FieldDescriptor field, object value) => field.FieldType switch
    {
        FieldType.Bool => false,
        FieldType.String => ((string)value).Length == 0,
        FieldType.Bytes => ((ByteString)value).IsEmpty,
        FieldType.Enum => Convert.ToInt32(value, CultureInfo.InvariantCulture) == 0,
        _ => Convert.ToDouble(value, CultureInfo.InvariantCulture) == 0,
    };
}
