using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CaConnector;
using EmbeddedCa;
using Dapper;
using Npgsql;
using RaServer.Domain;
using RaServer.Hosting;

namespace RaServer.Workers;

/// <summary>
/// The dispatcher's CA over CMP (Ca:Mode=Cmp): issue as p10cr, status changes as rr, through
/// <see cref="ResilientCaConnector"/> (timeout per attempt, transient retries, circuit breaker). The profile and
/// validity the RA approved are not on the wire: a p10cr carries only the CSR, and the external CA applies its own
/// certificate profile for the RA.
/// </summary>
public sealed partial class CmpCaGateway(
    ICaConnector connector, NpgsqlDataSource dataSource, X500DistinguishedName issuingCa, ILogger<CmpCaGateway> logger)
    : ICertificateAuthorityGateway
{
    public async Task<CaIssuedCertificate> IssueAsync(string requestKey, byte[] csrDer, CertificateProfile profile, int validityYears, CancellationToken ct)
    {
        var issued = await connector.IssueAsync(new CaIssueRequest
        {
            RequestKey = requestKey,
            CsrDer = csrDer,
            Profile = profile,
            ValidityYears = validityYears,
            TransactionId = TransactionIdFor(requestKey),
        }, ct);
        RequireCsrKey(requestKey, csrDer, issued);
        return issued;
    }

    // Done and AlreadyInRequestedState alike mean the CA now has the state asked for.
    public async Task RevokeAsync(string serialHex, RevocationReason reason, CancellationToken ct) =>
        await connector.RevokeAsync(await CertificateIdAsync(serialHex, ct), reason, ct);

    public async Task HoldAsync(string serialHex, CancellationToken ct) =>
        await connector.SuspendAsync(await CertificateIdAsync(serialHex, ct), ct);

    public async Task ReleaseHoldAsync(string serialHex, CancellationToken ct) =>
        await connector.UnsuspendAsync(await CertificateIdAsync(serialHex, ct), ct);

    /// <summary>
    /// The p10cr's transactionID, the same on every attempt at one request. RFC 4210 §5.1.1 leaves the
    /// transactionID to the client, which must keep it unique among its transactions and SHOULD make it 128 random
    /// bits so the server does not have it in use already. The request key is the application id, a random (v4)
    /// GUID naming exactly one certification request, so its 16 bytes meet both, and they do not change when the
    /// outbox repeats the request after an unknown outcome (a timeout after the p10cr left, an HTTP 500, a crash
    /// before the commit). A CA that deduplicates by transactionID, as the embedded CA does ("cmp:" +
    /// transactionID), then answers the repeat with the certificate it already issued instead of a second one:
    /// this is how the RA reconciles before resending (CMP.md). A stricter CA that still holds the first
    /// transaction may answer transactionIdInUse; the connector reports that as an open outcome, so the request
    /// stays in the outbox with the reason in last_error for an operator, and is never marked FAILED for it.
    /// Big-endian bytes, so the transactionID in the CA's logs reads as the application id without dashes.
    /// </summary>
    public static byte[] TransactionIdFor(string requestKey) =>
        Guid.TryParse(requestKey, out var id)
            ? id.ToByteArray(bigEndian: true)
            : throw new ArgumentException($"the request key '{requestKey}' is not an application id", nameof(requestKey));

    // A CA answering a repeated transactionID with some other request's certificate must not have it stored as ours.
    private void RequireCsrKey(string requestKey, byte[] csrDer, CaIssuedCertificate issued)
    {
        var csr = CertificateRequest.LoadSigningRequest(csrDer, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.SkipSignatureValidation);
        using var certificate = X509CertificateLoader.LoadCertificate(issued.CertificateDer);
        if (csr.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(certificate.PublicKey.ExportSubjectPublicKeyInfo()))
            return;
        LogForeignKey(logger, requestKey, certificate.SerialNumber);
        throw new CaRefusedException(CmpFailureInfo.BadMessageCheck,
            $"the CA returned certificate {certificate.SerialNumber}, which does not certify the key of the submitted CSR");
    }

    /// <summary>
    /// RevDetails names issuer and serial. The RA's stored copy gives the exact issuer (it survives a change of
    /// issuing CA); without one, the configured issuing CA is the only one it can be.
    /// </summary>
    private async Task<CaCertificateId> CertificateIdAsync(string serialHex, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var der = await connection.QuerySingleOrDefaultAsync<byte[]?>(new CommandDefinition(
            "SELECT der FROM certificates WHERE serial_hex = @serialHex", new { serialHex }, cancellationToken: ct));
        if (der is null)
            return new CaCertificateId(issuingCa, serialHex);
        using var certificate = X509CertificateLoader.LoadCertificate(der);
        return CaCertificateId.Of(certificate);
    }

    [LoggerMessage(EventId = 5100, Level = LogLevel.Error,
        Message = "The CA answered issue request {RequestKey} with certificate {Serial}, which certifies a different key; refused")]
    private static partial void LogForeignKey(ILogger logger, string requestKey, string serial);
}
