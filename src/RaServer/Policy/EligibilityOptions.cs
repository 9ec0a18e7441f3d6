namespace RaServer.Policy;

/// <summary>Configuration section "Eligibility".</summary>
public sealed class EligibilityOptions
{
    public const string Section = "Eligibility";

    /// <summary>How many days before expiry a certificate may be renewed.</summary>
    public int RenewWindowDays { get; set; } = 60;

    /// <summary>The operator kinds that may hold an ORGANIZATION certificate (DOMAIN.md: all connected operators).</summary>
    public List<string> EligibleOperatorKinds { get; set; } =
        ["CUSTOMS_BROKER", "CARRIER", "WAREHOUSE", "FORWARDER", "FREE_TRADE_ZONE_ENTERPRISE", "INSPECTION_AGENT"];
}
