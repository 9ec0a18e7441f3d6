using RaServer.Policy;
namespace RaServer.Domain;

/// <summary>A licensed connected operator (連線業者) as the customs registry knows it.</summary>
/// <param name="Kind">One of <see cref="OperatorKinds"/>.</param>
/// <param name="Status">One of <see cref="OperatorStatuses"/>.</param>
/// <param name="BoxNumber">報關業者箱號 / forwarder box number; null for kinds that have none.</param>
public sealed record OperatorRecord(string Ubn, string Name, string Kind, string CustomsOfficeCode, string? BoxNumber, string Status);

/// <summary>A licensed customs broker (專責報關人員).</summary>
/// <param name="Status">One of <see cref="BrokerStaffStatuses"/>.</param>
public sealed record BrokerStaffRecord(string NationalId, string Name, string LicenceNumber, string Status);

/// <summary>A mandate (委任關係): the person works for the firm from StartDate, until EndDate when it has one.</summary>
public sealed record MandateRecord(string NationalId, string FirmUbn, DateOnly StartDate, DateOnly? EndDate);
