namespace RaBench.Startup;

/// <summary>One configuration of the child server: a published build and the runtime environment it starts with.</summary>
public sealed record StartupRow(string Label, ServerBuild Build, IReadOnlyDictionary<string, string> Environment)
{
    public List<StartupSample> Samples { get; } = [];

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public StartupSample MedianSample() => new(
        Median(Samples.Select(s => s.RaInfoMs)), Median(Samples.Select(s => s.GetApplicationMs)),
        Median(Samples.Select(s => s.CpuAtRaInfoMs)), Median(Samples.Select(s => s.CpuAtGetApplicationMs)));
}
