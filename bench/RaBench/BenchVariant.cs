namespace RaBench;

/// <summary>
/// One server configuration the run measures: a name and the settings it adds on top of the bench's own (a lever's
/// "before" and "after" differ in exactly these). Written on the command line as
/// <c>--variant 'NAME:Key=Value|Key=Value'</c> (a connection string has semicolons of its own); <c>{ConnectionString}</c> in a value stands for the run's own database.
/// <c>NAME@scenario,scenario:…</c> runs the variant for those scenarios only, so one run can measure a lever's
/// before and after where it matters and every scenario once with the settings kept.
/// </summary>
public sealed record BenchVariant(string Name, IReadOnlyDictionary<string, string> Settings, IReadOnlySet<string>? OnlyFor = null)
{
    public static readonly BenchVariant Default = new("default", new Dictionary<string, string>());

    /// <summary>Whether this variant runs <paramref name="scenario"/>.</summary>
    public bool Runs(string scenario) => OnlyFor is null || OnlyFor.Contains(scenario);

    public static BenchVariant Parse(string text)
    {
        var colon = text.IndexOf(':');
        if (colon <= 0)
            throw new ArgumentException($"a variant is NAME:Key=Value|Key=Value, not '{text}'");
        var settings = text[(colon + 1)..].Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv.Length == 2 ? kv[1] : throw new ArgumentException($"'{string.Join('=', kv)}' is not Key=Value"));
        var name = text[..colon];
        var at = name.IndexOf('@');
        return at < 0
            ? new BenchVariant(name, settings)
            : new BenchVariant(name[..at], settings, name[(at + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet());
    }

    public BenchVariant WithConnectionString(string connectionString) =>
        this with { Settings = Settings.ToDictionary(kv => kv.Key, kv => kv.Value.Replace("{ConnectionString}", connectionString, StringComparison.Ordinal)) };

    public override string ToString() =>
        (Settings.Count == 0 ? Name : $"{Name} ({string.Join("; ", Settings.Select(kv => $"{kv.Key}={kv.Value}"))})")
        + (OnlyFor is null ? "" : $", for {string.Join(", ", OnlyFor)}");
}
