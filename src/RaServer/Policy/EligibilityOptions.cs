namespace RaServer.Policy;

/// <summary>Configuration section "Eligibility".</summary>
public sealed class EligibilityOptions
{
    public const string Section = "Eligibility";

    /// <summary>How many days before expiry a certificate may be renewed.</summary>
    public int RenewWindowDays { get; set; } = 60;

    /// <summary>
    /// The operator kinds that may hold an ORGANIZATION certificate (docs/DOMAIN.md: all connected operators). The list is in
    /// appsettings.json, not here: configuration adds to a list's items rather than replacing them, so a default in
    /// code could be widened but never narrowed.
    /// </summary>
    public List<string> EligibleOperatorKinds { get; set; } = [];
}
