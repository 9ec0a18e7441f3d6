namespace RaServer.Domain;

/// <summary>
/// Taiwan's calendar (UTC+8, no daylight saving since 1979, so no time-zone data is needed): mandate dates, slip due
/// dates, slip numbers and the weekly notice slot are all Taiwan dates, whatever the server's own zone.
/// </summary>
public static class TaiwanTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    public static DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(Offset).DateTime);
}
