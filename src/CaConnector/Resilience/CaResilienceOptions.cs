namespace CaConnector.Resilience;

/// <summary>How calls to the CA are timed out, retried and cut off (docs/CMP.md "Retry rules").</summary>
public sealed class CaResilienceOptions
{
    /// <summary>
    /// Cap on one attempt: the whole CMP transaction, polling and certConf included, so keep it above
    /// <see cref="CmpOptions.MaxTotalPollWait"/>. A timed-out issue is reported as outcome unknown, never resent.
    /// </summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromMinutes(6);

    /// <summary>Retries after the first attempt, for transient failures only; 0 turns retrying off.</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>First backoff delay; it doubles per retry and is jittered so many RA replicas do not retry in step.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Ceiling on a single backoff delay.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Share of failed calls within <see cref="BreakerSamplingDuration"/> that opens the circuit.</summary>
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Calls needed within the sampling window before the ratio counts, so one failure does not open it.</summary>
    public int BreakerMinimumThroughput { get; set; } = 10;

    /// <summary>The window over which <see cref="BreakerFailureRatio"/> is measured.</summary>
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit fails calls fast before one trial call is let through.</summary>
    public TimeSpan BreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Throws with every problem listed, so a bad configuration stops the process at start.</summary>
    public void Validate()
    {
        var problems = Problems();
        if (problems.Count > 0)
            throw new ArgumentException("Invalid CA resilience options: " + string.Join(" ", problems));
    }

    /// <summary>Every problem with these settings, each starting with the setting it is about; empty when they are usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (AttemptTimeout <= TimeSpan.Zero)
            problems.Add("AttemptTimeout must be positive.");
        if (MaxRetryAttempts < 0)
            problems.Add("MaxRetryAttempts must not be negative.");
        if (RetryBaseDelay < TimeSpan.Zero || RetryMaxDelay < RetryBaseDelay)
            problems.Add("RetryBaseDelay must be non-negative and at most RetryMaxDelay.");
        if (BreakerFailureRatio is <= 0 or > 1)
            problems.Add("BreakerFailureRatio must be in (0, 1].");
        if (BreakerMinimumThroughput < 2)
            problems.Add("BreakerMinimumThroughput must be at least 2.");
        if (BreakerSamplingDuration < TimeSpan.FromMilliseconds(500) || BreakerBreakDuration < TimeSpan.FromMilliseconds(500))
            problems.Add("BreakerSamplingDuration and BreakerBreakDuration must be at least 500 ms.");
        return problems;
    }
}
