namespace RaServer.Storage;

/// <summary>
/// When an outbox row (ca_requests, mail_outbox) is due. Its due time is written from the server's clock, so when that
/// clock is stepped back (NTP, an operator) every row written before the step is due in the "future" by the size of
/// the step: ten minutes back, and a notice enqueued just before waits ten minutes, a CA request in a two-second
/// backoff waits ten minutes too. A due time further ahead than the longest wait a worker could have given the row
/// can only come from a clock that went back, so such a row is due now. The longest wait after n failed attempts is
/// the workers' Backoff.After(n), first × 2^(n−1) up to the maximum; a row never tried was due when it was written.
/// A jump forward needs nothing: rows only come due early, which the leases and the CA's request keys make safe.
/// "Further ahead" allows <see cref="Slack"/> more: replicas' clocks differ by milliseconds, and a lease renewed by
/// another worker while a claim runs ends a little after the claim's now; neither may look like a step back, or a
/// live lease would be taken over. A step back smaller than the slack delays rows by at most the step.
/// </summary>
/// <remarks>
/// Rows already due come first in the claim's index order, so the second test is reached only for the rows after
/// them, when fewer than a batch are due.
/// </remarks>
internal static class OutboxDue
{
    /// <summary>How far beyond the longest wait a due time must lie to count as written before a step back.</summary>
    public const string Slack = "interval '1 minute'";

    /// <summary>
    /// The longest wait a worker sets after a row's <c>attempts</c>-th failure, from parameters @firstRetryDelay and
    /// @maxBackoff (the power is capped so that it cannot overflow; the cap is far above any maximum).
    /// </summary>
    public const string LongestBackoff =
        "CASE WHEN attempts = 0 THEN interval '0' ELSE least(@firstRetryDelay * power(2, least(attempts - 1, 30)), @maxBackoff) END";
}
