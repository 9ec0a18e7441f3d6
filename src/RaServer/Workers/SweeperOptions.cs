namespace RaServer.Workers;

/// <summary>Configuration section "Sweeper".</summary>
public sealed class SweeperOptions
{
    public const string Section = "Sweeper";

    /// <summary>How often overdue payment slips are looked for.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Slips voided per transaction; keeps each transaction short.</summary>
    public int BatchSize { get; set; } = 100;
}
