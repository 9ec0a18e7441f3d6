namespace RaServer.Workers;

/// <summary>
/// The one backoff of the workers: first, 2×first, 4×first, … capped at the maximum. The CA dispatcher and the mail
/// sender wait this long between attempts at one outbox row; the dedicated-connection loops (sequencer, listener,
/// fan-out) between attempts to reopen their connection.
/// </summary>
public static class Backoff
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

    /// <summary>
    /// <see cref="After"/>, drawn at random from its upper half, so replicas that failed on the same outage do not all
    /// come back at the same moment.
    /// </summary>
    public static TimeSpan Jittered(int attempt, TimeSpan first, TimeSpan max) =>
        After(attempt, first, max) * (0.5 + Random.Shared.NextDouble() / 2);

    public static async Task PauseAsync(TimeSpan delay, TimeProvider clock, CancellationToken ct)
    {
        if (delay > TimeSpan.Zero)
            await Task.Delay(delay, clock, ct);
    }
}

/// <summary>
/// Consecutive failures to reopen a dedicated connection: no pause before the first retry (a terminated backend is
/// usually replaceable at once), then <see cref="Backoff"/> from 250 ms up to the maximum; a success resets it.
/// </summary>
internal sealed class ReconnectBackoff(TimeSpan max)
{
    private static readonly TimeSpan First = TimeSpan.FromMilliseconds(250);
    private int _failures;

    public TimeSpan Next()
    {
        var failures = _failures++;
        return failures == 0 ? TimeSpan.Zero : Backoff.After(failures, First, max);
    }

    public void Succeeded() => _failures = 0;
}
