using System.Text.Json;

namespace RaBench.Load;

/// <summary>
/// What the parent asks the load process to do: which workload, how many operations in flight, how long to measure
/// once the rate is steady, and the workload's own arguments (ids, counts). Written to a file as JSON and passed by
/// path, so the load process needs nothing from the parent but the server's address and the dev PKI folder.
/// </summary>
public sealed record LoadJob
{
    public required string Workload { get; init; }
    public required string ServerAddress { get; init; }
    public required string PkiFolder { get; init; }
    public int InFlight { get; init; } = 32;
    public int Connections { get; init; } = 4;
    public double MeasureSeconds { get; init; } = 8;
    public long MaxOperations { get; init; } = long.MaxValue;

    /// <summary>False for one-shot workloads (an import of 100,000 records) that are their own measurement.</summary>
    public bool WarmUp { get; init; } = true;

    /// <summary>Warm-up windows to run before steadiness counts: a freshly started server still moves methods up the
    /// JIT tiers (and, with tiered PGO, through instrumented code) for seconds after its rate first looks flat.</summary>
    public int MinWarmUpWindows { get; init; }

    public Dictionary<string, string> Args { get; init; } = [];

    public string Arg(string name) =>
        Args.TryGetValue(name, out var value) ? value : throw new InvalidOperationException($"load job {Workload} needs argument {name}");

    public string ToJson() => JsonSerializer.Serialize(this);

    public static LoadJob FromJson(string json) => JsonSerializer.Deserialize<LoadJob>(json)!;
}
