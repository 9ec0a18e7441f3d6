using System.Globalization;

namespace RaBench;

/// <summary>The printed figures: one heading per scenario, one line per loop, one line per ratio to a baseline.</summary>
public static class Report
{
    public static void Heading(string scenario, string what)
    {
        Console.WriteLine();
        Console.WriteLine($"== {scenario}: {what}");
    }

    public static void Line(LoadResult result) => Console.WriteLine("  " + result);

    public static void Note(string text) => Console.WriteLine("  " + text);

    /// <summary>Prints measured/baseline; a loop with failures makes the ratio meaningless, and the line says so.</summary>
    public static void Ratio(string label, LoadResult measured, LoadResult baseline)
    {
        var ratio = measured.PerSecond / baseline.PerSecond;
        var caveat = measured.Failed + baseline.Failed > 0 ? "  (INVALID: failures above)" : "";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  ratio {label}: {measured.PerSecond:N0}/s ÷ {baseline.PerSecond:N0}/s = {ratio:F2}{caveat}"));
    }
}
