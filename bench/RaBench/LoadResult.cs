using System.Globalization;

namespace RaBench;

/// <summary>What one timed loop did: how many operations succeeded, how long it took, and the latency spread.</summary>
public sealed record LoadResult(string Name, int Workers, long Succeeded, long Failed, TimeSpan Elapsed, double[] SortedLatencyMs, string? FirstError)
{
    public double PerSecond => Succeeded / Elapsed.TotalSeconds;

    public double P50Ms => Percentile(0.50);
    public double P99Ms => Percentile(0.99);

    private double Percentile(double p) =>
        SortedLatencyMs.Length == 0 ? double.NaN : SortedLatencyMs[Math.Min(SortedLatencyMs.Length - 1, (int)(p * SortedLatencyMs.Length))];

    public override string ToString()
    {
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{Name,-46} workers {Workers,3}  {Succeeded,9:N0} ok in {Elapsed.TotalSeconds,5:F2} s  {PerSecond,10:N0}/s");
        // A loop timed only as a whole (the outbox drain) has no per-operation latencies to report.
        if (SortedLatencyMs.Length > 0)
            line += string.Create(CultureInfo.InvariantCulture, $"  p50 {P50Ms,7:F2} ms  p99 {P99Ms,7:F2} ms");
        return Failed == 0 ? line : $"{line}  FAILED {Failed:N0} (first: {FirstError})";
    }
}
