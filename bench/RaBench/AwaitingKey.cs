namespace RaBench;

/// <summary>Applications of the bench company in AWAITING_KEY (RECEIVED → AWAITING_PAYMENT → AWAITING_KEY), as submit and payment would have left them.</summary>
public static class AwaitingKey
{
    /// <returns>The applications, and the last event sequence once their own events are numbered (a watcher's start).</returns>
    public static Task<(Guid[] Ids, long AfterSequence)> PrepareAsync(BenchEnvironment env, int count) =>
        PreparedApplications.PrepareAsync(env, count, "AWAITING_PAYMENT", "AWAITING_KEY");
}
