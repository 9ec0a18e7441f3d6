namespace RaServer.Policy;

// These lists mirror the CHECK constraints in db/migrations/0001_registry.sql; change both together.

/// <summary>Kinds of connected operator: 報關業, 運輸業, 倉儲業/貨櫃集散站, 承攬業, 自由貿易港區事業, 報驗業.</summary>
public static class OperatorKinds
{
    public const string CustomsBroker = "CUSTOMS_BROKER";
    public const string Carrier = "CARRIER";
    public const string Warehouse = "WAREHOUSE";
    public const string Forwarder = "FORWARDER";
    public const string FreeTradeZoneEnterprise = "FREE_TRADE_ZONE_ENTERPRISE";
    public const string InspectionAgent = "INSPECTION_AGENT";

    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        CustomsBroker, Carrier, Warehouse, Forwarder, FreeTradeZoneEnterprise, InspectionAgent,
    };
}

public static class OperatorStatuses
{
    public const string Active = "ACTIVE";
    public const string Suspended = "SUSPENDED";
    public const string Revoked = "REVOKED";

    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal) { Active, Suspended, Revoked };
}

public static class BrokerStaffStatuses
{
    public const string Active = "ACTIVE";
    public const string Suspended = "SUSPENDED";
    /// <summary>Lost qualification: later messages signed by this person are flagged even if the certificate is not revoked.</summary>
    public const string Disqualified = "DISQUALIFIED";

    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal) { Active, Suspended, Disqualified };
}

/// <summary>Reason codes (google.rpc.ErrorInfo.reason) for registry writes that are refused.</summary>
public static class RegistryReasons
{
    public const string InvalidRecord = "INVALID_REGISTRY_RECORD";
    public const string UnknownBrokerStaff = "UNKNOWN_BROKER_STAFF";
    public const string UnknownFirm = "UNKNOWN_FIRM";
    public const string LicenceNumberTaken = "LICENCE_NUMBER_TAKEN";
    /// <summary>An import record that carries none of the three kinds (an unset oneof).</summary>
    public const string EmptyRecord = "EMPTY_REGISTRY_RECORD";
}
