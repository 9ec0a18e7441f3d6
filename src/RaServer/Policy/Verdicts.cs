using RaServer.Domain;

namespace RaServer.Policy;

/// <summary>The facts a verdict is drawn from; every one is reported as evidence, whatever the verdict.</summary>
public sealed record VerificationFacts
{
    public bool SignatureValid { get; init; }
    public byte[]? SignerCertificateDer { get; init; }
    public CertificateRow? Certificate { get; init; }
    /// <summary>The certificate's status from <see cref="CertificateStatusRule"/>; null when our CA did not issue it.</summary>
    public DecidedStatus? Status { get; init; }

    /// <summary>The customs CA's CRL the RA held when it decided, reported whichever record the status came from.</summary>
    public CrlStatus? Crl { get; init; }
    public bool Expired { get; init; }
    public bool Registered { get; init; }
    public bool HolderQualified { get; init; }
    public DateTimeOffset? SigningTime { get; init; }
    public required DateTimeOffset CheckedAt { get; init; }
}

/// <summary>
/// One verdict from the facts, in the contract's order of precedence (verification.proto): the signature, whether
/// our CA issued the certificate, its status (the one the evidence reports), its dates, whether that status could be known at all,
/// the holder's qualification, and last the registration with the firm. Pure.
/// </summary>
public static class Verdicts
{
    public static string Of(VerificationFacts facts) => facts switch
    {
        { SignatureValid: false } => "SIGNATURE_INVALID",
        { Certificate: null } => "CERT_UNKNOWN",
        { Status.Standing: CustomsCertificateStanding.Revoked } => "CERT_REVOKED",
        { Status.Standing: CustomsCertificateStanding.OnHold } => "CERT_SUSPENDED",
        { Expired: true } => "CERT_EXPIRED",
        { Status.Standing: CustomsCertificateStanding.Unknown } => "STATUS_UNKNOWN",
        { HolderQualified: false } => "HOLDER_NOT_QUALIFIED",
        { Registered: false } => "NOT_REGISTERED",
        _ => "VALID",
    };
}
