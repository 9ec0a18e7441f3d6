using System.Globalization;

namespace RaBench;

/// <summary>What one timed loop did: how many operations succeeded, how long it took, and the latency spread.</summary>
public sealed record LoadResult(string Name, int Workers, long Succeeded, long Failed, TimeSpan Elapsed, double P50Ms, double P99Ms, string? FirstError)
{
    public double PerSecond => Succeeded / Elapsed.TotalSeconds;

    /// <summary>A loop timed only as a whole (a drain, an import) has no per-operation latencies.</summary>
    public static LoadResult Whole(string name, int workers, long succeeded, long failed, TimeSpan elapsed, string? firstError) =>
        new(name, workers, succeeded, failed, elapsed, double.NaN, double.NaN, firstError);

    public static LoadResult FromLatencies(string name, int workers, long failed, TimeSpan elapsed, double[] sortedLatencyMs, string? firstError) =>
        new(name, workers, sortedLatencyMs.Length, failed, elapsed, Percentile(sortedLatencyMs, 0.50), Percentile(sortedLatencyMs, 0.99), firstError);

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    public override string ToString()
    {
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{Name,-46} in flight {Workers,4}  {Succeeded,9:N0} ok in {Elapsed.TotalSeconds,5:F2} s  {PerSecond,10:N0}/s");
        if (!double.IsNaN(P50Ms))
            line += string.Create(CultureInfo.InvariantCulture, $"  p50 {P50Ms,7:F2} ms  p99 {P99Ms,7:F2} ms");
        return Failed == 0 ? line : $"{line}  FAILED {Failed:N0} (first: {FirstError})";
    }
}
