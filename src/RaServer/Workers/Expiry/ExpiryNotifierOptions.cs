namespace RaServer.Workers;

/// <summary>Configuration section "ExpiryNotices": when the weekly expiry notices go out and how many per run.</summary>
public sealed class ExpiryNotifierOptions
{
    public const string Section = "ExpiryNotices";

    /// <summary>The day of the weekly slot, in Taiwan time. A notice week runs from one slot to the next.</summary>
    public DayOfWeek DayOfWeek { get; set; } = DayOfWeek.Monday;

    /// <summary>The time of the weekly slot in Taiwan time (UTC+8, no daylight saving), e.g. "09:00".</summary>
    public TimeOnly TimeOfDay { get; set; } = new(9, 0);

    /// <summary>A certificate is notified when it expires within this many days of the week's slot.</summary>
    public int WindowDays { get; set; } = 30;

    /// <summary>
    /// Notices one run enqueues at most, so a week with many expiring certificates does not flood the mail relay;
    /// the rest are enqueued by the next checks of the same week.
    /// </summary>
    public int MaxPerRun { get; set; } = 500;

    /// <summary>
    /// How often each replica checks whether this week's run is due or unfinished. Also the pace at which capped
    /// runs carry on. At most 49 days (the limit of the timer).
    /// </summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(15);
}
