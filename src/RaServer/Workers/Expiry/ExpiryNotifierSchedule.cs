namespace RaServer.Workers;

/// <summary>
/// The weekly slot of the expiry notices in Taiwan time. Taiwan has kept UTC+8 without daylight saving since 1979,
/// so a fixed offset is exact and needs no time-zone database on the server.
/// </summary>
public sealed record ExpiryNotifierSchedule(DayOfWeek Day, TimeOnly TimeOfDay)
{
    public static readonly TimeSpan TaiwanOffset = Domain.TaiwanTime.Offset;

    /// <summary>The most recent slot at or before <paramref name="now"/>, expressed in Taiwan time.</summary>
    public DateTimeOffset LatestSlotAtOrBefore(DateTimeOffset now)
    {
        var local = now.ToOffset(TaiwanOffset);
        var daysBack = ((int)local.DayOfWeek - (int)Day + 7) % 7;
        var date = DateOnly.FromDateTime(local.DateTime).AddDays(-daysBack);
        var slot = new DateTimeOffset(date.ToDateTime(TimeOfDay), TaiwanOffset);
        return slot > now ? slot.AddDays(-7) : slot;
    }

    /// <summary>The Taiwan calendar date of <paramref name="instant"/>: what a holder reads as the date.</summary>
    public static DateOnly TaiwanDate(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(TaiwanOffset).DateTime);
}
