namespace RaServer.Tests.Faults;

/// <summary>
/// The machine's clock as the fault tests' servers read it: real time plus an offset the test changes, as when NTP
/// steps the clock or an operator sets it. Timers and timestamps stay on the monotonic clock, as .NET's own do, so
/// a jump moves what the servers read as "now" (leases, due times, deadlines, signing times) and nothing else.
/// Unlike a FakeTimeProvider it can go back, and it runs by itself, so the servers' background workers poll as in
/// production.
/// </summary>
public sealed class JumpingClock : TimeProvider
{
    private long offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));

    /// <summary>Steps the clock by <paramref name="by"/> (negative: back).</summary>
    public void Jump(TimeSpan by) => Interlocked.Add(ref offsetTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}
