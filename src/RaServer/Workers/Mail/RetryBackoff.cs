using RaServer.Hosting;
using RaServer.Policy;
using RaServer.Storage;
namespace RaServer.Workers;

/// <summary>Exponential backoff for failed notices: first, 2×first, 4×first, … capped at the maximum.</summary>
public static class RetryBackoff
{
    /// <summary>The wait after failed attempt number <paramref name="attempt"/> (1 for the first failure).</summary>
    public static TimeSpan After(int attempt, TimeSpan first, TimeSpan max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var doublings = attempt - 1;
        // Compare against max halved instead of doubling first, which would overflow after a few dozen failures.
        if (doublings >= 62 || first.Ticks > max.Ticks >> doublings)
            return max;
        return TimeSpan.FromTicks(first.Ticks << doublings);
    }
}
