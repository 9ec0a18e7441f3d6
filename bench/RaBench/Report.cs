using System.Globalization;
using RaBench.Load;

namespace RaBench;

/// <summary>
/// The printed figures: one heading per scenario, one line per loop with its cost per operation, one line per ratio to
/// its same-run baseline. Every ratio is also kept for the summary at the end of the run.
/// </summary>
public static class Report
{
    private static readonly List<string> SummaryLines = [];
    private static string _variant = "default";

    public static IReadOnlyList<string> Summary => SummaryLines;

    public static void Variant(BenchVariant variant)
    {
        _variant = variant.Name;
        Console.WriteLine();
        Console.WriteLine($"######## variant {variant}");
    }

    public static void Heading(string scenario, string what)
    {
        Console.WriteLine();
        Console.WriteLine($"== {scenario}: {what}");
    }

    public static void Line(LoadResult result) => Console.WriteLine("  " + result);

    public static void Line(Measured measured)
    {
        Console.WriteLine("  " + measured.Result);
        Console.WriteLine("      " + measured.Cost + $"; warm-up {measured.WarmUp}");
        foreach (var statement in measured.TopStatements ?? [])
            Console.WriteLine("        PostgreSQL " + statement);
    }

    public static void Note(string text) => Console.WriteLine("  " + text);

    /// <summary>Prints measured/baseline; a loop with failures makes the ratio meaningless, and the line says so.</summary>
    public static void Ratio(string label, LoadResult measured, LoadResult baseline, string? target = null)
    {
        var ratio = measured.PerSecond / baseline.PerSecond;
        var caveat = measured.Failed + baseline.Failed > 0 ? "  (INVALID: failures above)" : "";
        var line = string.Create(CultureInfo.InvariantCulture,
            $"ratio {label}: {measured.PerSecond:N0}/s ÷ {baseline.PerSecond:N0}/s = {ratio:F2}{caveat}");
        if (!double.IsNaN(measured.P99Ms))
            line += string.Create(CultureInfo.InvariantCulture, $"  (p99 {measured.P99Ms:F1} ms)");
        if (target is not null)
            line += $"  [target {target}]";
        Console.WriteLine("  " + line);
        SummaryLines.Add($"{_variant,-14} {line}");
    }

    public static void Ratio(string label, Measured measured, Measured baseline, string? target = null) =>
        Ratio(label, measured.Result, baseline.Result, target);

    /// <summary>A figure that has a target but no ratio (T3, T4, T6), kept for the summary.</summary>
    public static void Figure(string text)
    {
        Console.WriteLine("  " + text);
        SummaryLines.Add($"{_variant,-14} {text}");
    }
}
