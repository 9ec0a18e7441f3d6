namespace RaServer.Policy;

/// <summary>Looks up what a service costs and how long its certificate lasts, from <see cref="FeeOptions"/>.</summary>
public static class FeeSchedule
{
    /// <summary>The certificate kinds, by the names configuration and the database use (the contract's CertificateKind).</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["PERSONAL", "ORGANIZATION"];

    /// <summary>The service types, by the names configuration and the database use (the contract's ServiceType).</summary>
    public static IReadOnlyList<string> ServiceTypes { get; } = ["NEW", "RENEW", "REVOKE", "SUSPEND", "UNSUSPEND"];

    /// <summary>The fee entry for NEW / RENEW of a kind, or null when the configuration has none (a configuration error).</summary>
    public static FeeEntry? For(FeeOptions options, string kind, string serviceType) =>
        options.Schedule.FirstOrDefault(f => f.Kind == kind && f.ServiceType == serviceType);

    public static bool RequiresPayment(string serviceType) => serviceType is "NEW" or "RENEW";
}
