using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CaConnector;

namespace RaServer.Workers;

/// <summary>
/// What the dispatcher sends for an ISSUE or RENEW, and what it checks of the answer, the same for every CA.
/// </summary>
public static class CaIssueRequests
{
    /// <summary>One application's certification request: its id is the request key, and it fixes the transactionID.</summary>
    /// <param name="verifiedCsrKey">The CSR's key, when the RA verified the CSR's self-signature at submission.</param>
    public static CaIssueRequest For(
        Guid applicationId, byte[] csrDer, CertificateProfile profile, int validityYears, DateTimeOffset? termFrom = null,
        PublicKey? verifiedCsrKey = null) => new()
    {
        RequestKey = applicationId.ToString("D"),
        CsrDer = csrDer,
        VerifiedCsrKey = verifiedCsrKey,
        Profile = profile,
        ValidityYears = validityYears,
        TermFrom = termFrom,
        TransactionId = TransactionIdFor(applicationId),
    };

    /// <summary>
    /// The p10cr's transactionID, the same on every attempt at one request. RFC 4210 §5.1.1 leaves the
    /// transactionID to the client, which must keep it unique among its transactions and SHOULD make it 128 random
    /// bits so the server does not have it in use already. The application id is a random (v4) GUID naming exactly
    /// one certification request, so its 16 bytes meet both, and they do not change when the outbox repeats the
    /// request after an unknown outcome (a timeout after the p10cr left, an HTTP 500, a crash before the commit). A
    /// CA that deduplicates by transactionID, as the embedded CA's CMP endpoint does ("cmp:" + transactionID), then
    /// answers the repeat with the certificate it already issued instead of a second one: this is how the RA
    /// reconciles before resending (docs/CMP.md). A stricter CA that still holds the first transaction may answer
    /// transactionIdInUse; the connector reports that as an open outcome, so the request stays in the outbox with the
    /// reason in last_error for an operator, and is never marked FAILED for it. Big-endian bytes, so the
    /// transactionID in the CA's logs reads as the application id without dashes. The embedded CA called in process
    /// deduplicates by the request key instead and ignores it.
    /// </summary>
    public static byte[] TransactionIdFor(Guid applicationId) => applicationId.ToByteArray(bigEndian: true);

    /// <summary>
    /// The key of a CSR the RA has verified already (at submission, before the request was stored): parsed without
    /// checking its self-signature again.
    /// </summary>
    public static PublicKey KeyOfVerifiedCsr(byte[] csrDer) =>
        CertificateRequest.LoadSigningRequest(csrDer, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.SkipSignatureValidation).PublicKey;

    /// <summary>
    /// True when <paramref name="certificate"/> certifies <paramref name="csrKey"/>. A CA answering a repeated
    /// transactionID with some other request's certificate must not have it stored as this application's.
    /// </summary>
    public static bool Certifies(X509Certificate2 certificate, PublicKey csrKey) =>
        csrKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(certificate.PublicKey.ExportSubjectPublicKeyInfo());
}
