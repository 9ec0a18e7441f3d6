namespace RaServer.Api;

/// <summary>Configuration section "Auth": who may call the system services over mTLS.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>PEM bundle of the CAs (root and intermediates) that issue system client certificates (GCA in production).</summary>
    public string ClientCaBundlePath { get; set; } = "";

    /// <summary>The allow-list of system clients, by the CN of their client certificate. A client not listed is refused.</summary>
    public Dictionary<string, SystemClientOptions> Clients { get; set; } = new();

    /// <summary>
    /// For each mTLS-protected service (its short name, e.g. "Registry"), the roles allowed to call it.
    /// A service not listed here needs no client certificate (applicants sign their requests instead). The defaults stay
    /// in code so that a missing file leaves the services closed; configuration can add roles to them but not remove any
    /// (it adds to a list's items rather than replacing them).
    /// </summary>
    public Dictionary<string, string[]> ServiceRoles { get; set; } = new()
    {
        ["CustomsOffice"] = [Roles.Officer],
        ["Registry"] = [Roles.Registry],
        ["Payments"] = [Roles.Fees],
        ["Verification"] = [Roles.Verifier],
    };
}

/// <summary>One allowed system client.</summary>
public sealed class SystemClientOptions
{
    /// <summary>Its role: officer, registry, fees or verifier.</summary>
    public string Role { get; set; } = "";

    /// <summary>For officers: the customs office (關區) code the clerk works at, e.g. "AA" (基隆關).</summary>
    public string? OfficeCode { get; set; }
}

public static class Roles
{
    public const string Officer = "officer";
    public const string Registry = "registry";
    public const string Fees = "fees";
    public const string Verifier = "verifier";
}
