namespace RaBench;

/// <summary>
/// One server configuration the run measures: a name and the settings it adds on top of the bench's own (a lever's
/// "before" and "after" differ in exactly these). Written on the command line as
/// <c>--variant 'NAME:Key=Value|Key=Value'</c> (a connection string has semicolons of its own); <c>{ConnectionString}</c> in a value stands for the run's own database.
/// </summary>
public sealed record BenchVariant(string Name, IReadOnlyDictionary<string, string> Settings)
{
    public static readonly BenchVariant Default = new("default", new Dictionary<string, string>());

    public static BenchVariant Parse(string text)
    {
        var colon = text.IndexOf(':');
        if (colon <= 0)
            throw new ArgumentException($"a variant is NAME:Key=Value|Key=Value, not '{text}'");
        var settings = text[(colon + 1)..].Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv.Length == 2 ? kv[1] : throw new ArgumentException($"'{string.Join('=', kv)}' is not Key=Value"));
        return new BenchVariant(text[..colon], settings);
    }

    public BenchVariant WithConnectionString(string connectionString) =>
        this with { Settings = Settings.ToDictionary(kv => kv.Key, kv => kv.Value.Replace("{ConnectionString}", connectionString, StringComparison.Ordinal)) };

    public override string ToString() =>
        Settings.Count == 0 ? Name : $"{Name} ({string.Join("; ", Settings.Select(kv => $"{kv.Key}={kv.Value}"))})";
}
