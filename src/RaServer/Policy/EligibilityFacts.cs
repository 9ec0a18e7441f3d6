using RaServer.Domain;

namespace RaServer.Policy;

/// <summary>The registry's view of an operator, with the customs office (關區) it is registered with.</summary>
public sealed record OperatorFacts(string Ubn, string Name, string Kind, string Status, string CustomsOfficeCode);

/// <summary>The registry's view of a licensed broker, with his mandates at the firm in question.</summary>
public sealed record BrokerFacts(string NationalId, string Name, string Status, IReadOnlyList<(DateOnly Start, DateOnly? End)> MandatesAtFirm);

/// <summary>The RA's record of the certificate a RENEW / REVOKE / SUSPEND / UNSUSPEND acts on.</summary>
public sealed record CertificateFacts(
    string SerialHex, string Kind, string State, string? HolderNationalId, string FirmUbn,
    string? OwnerUbn, string? OwnerNationalId, DateTimeOffset NotAfter, bool AlreadyRenewed);

/// <summary>Everything eligibility is decided from: the request, the registry, the RA's records and the date.</summary>
public sealed record EligibilityFacts(
    ApplicationRequest Request,
    OperatorFacts? Firm,
    BrokerFacts? Broker,
    CertificateFacts? Certificate,
    bool OpenApplicationForCertificate,
    DateTimeOffset Now);

/// <summary>One failed rule: a stable code, a readable message, and the request field it concerns.</summary>
public sealed record EligibilityFailure(string Code, string Message, string Field);
