using System.Security.Cryptography.X509Certificates;

namespace CaConnector;

/// <summary>One certification request as the RA forwards it to the CA.</summary>
public sealed record CaIssueRequest
{
    /// <summary>
    /// The RA's idempotency key (its application id). Logged and carried in errors so an unknown outcome can be
    /// reconciled against the CA; CMP itself has no field for it, so it never goes on the wire.
    /// </summary>
    public required string RequestKey { get; init; }

    /// <summary>The applicant's PKCS#10 request, DER, passed to the CA unchanged: its self-signature is the proof of possession.</summary>
    public required byte[] CsrDer { get; init; }

    /// <summary>
    /// The CSR's public key, set when the caller has verified the CSR's self-signature itself: the RA does when the
    /// CSR is submitted, before it stores the request, so a CA in the same process certifies this key without
    /// verifying the same signature a second time. A CA over the wire ignores it and verifies the CSR it receives.
    /// </summary>
    public PublicKey? VerifiedCsrKey { get; init; }

    /// <summary>
    /// Who the certificate is for, as the RA decided when it approved the application. The embedded CA signs exactly
    /// this; a CMP p10cr carries only the CSR, so an external CA applies its own profile for the RA.
    /// </summary>
    public required CertificateProfile Profile { get; init; }

    /// <summary>
    /// How many calendar years the certificate lasts from its issue, as the RA decided (the fee schedule). Like the
    /// profile it is not on a p10cr; a CA may cut it, for example at the end of its own certificate.
    /// </summary>
    public required int ValidityYears { get; init; }

    /// <summary>
    /// Where the <see cref="ValidityYears"/> count from when that is later than the issue: for a renewal, the renewed
    /// certificate's notAfter, so the applicant keeps the time already paid for. The certificate is still valid from
    /// its issue. Null counts from the issue. Not on a p10cr either (an external CA over CMP applies its own validity).
    /// </summary>
    public DateTimeOffset? TermFrom { get; init; }

    /// <summary>
    /// The subject the RA approved (<see cref="Profile"/>'s). Not sent over CMP; for logs and for connectors to CAs
    /// that take the subject out of band.
    /// </summary>
    public X500DistinguishedName ApprovedSubject => Profile.Subject;

    /// <summary>
    /// The CMP transactionID of the p10cr, when the caller wants the same one on every attempt at this request
    /// (at least 16 bytes, unique per request); null draws a fresh random one per attempt. A stable ID lets a CA
    /// that deduplicates by transactionID answer a repeat after a lost answer with the certificate it already
    /// issued, instead of minting a second (docs/CMP.md "reconcile first"). Only the issue path uses it.
    /// </summary>
    public byte[]? TransactionId { get; init; }
}
