namespace RaServer.Policy;

/// <summary>
/// Configuration section "Fees". The customs-dedicated CA's fees and validity are not published
/// (docs/DOMAIN.md), so the schedule is configuration, not code.
/// </summary>
public sealed class FeeOptions
{
    public const string Section = "Fees";

    /// <summary>Days from a payment slip's issue until it is void (the manual: 14).</summary>
    public int PaymentDeadlineDays { get; set; } = 14;

    /// <summary>One entry per kind and service type that costs money (NEW and RENEW); others are free.</summary>
    public List<FeeEntry> Schedule { get; set; } = [];
}

/// <summary>The fee and validity of one kind of certificate for one service type.</summary>
public sealed class FeeEntry
{
    /// <summary>PERSONAL or ORGANIZATION.</summary>
    public string Kind { get; set; } = "";

    /// <summary>NEW or RENEW.</summary>
    public string ServiceType { get; set; } = "";

    /// <summary>The amount in New Taiwan dollars.</summary>
    public long AmountNtd { get; set; }

    /// <summary>How many years the issued certificate is valid.</summary>
    public int ValidityYears { get; set; }
}
