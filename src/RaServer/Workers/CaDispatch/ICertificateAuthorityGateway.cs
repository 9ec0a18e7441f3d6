using CaConnector;
using EmbeddedCa;
using RaServer.Domain;
using RaServer.Hosting;

namespace RaServer.Workers;

/// <summary>
/// What the outbox dispatcher asks of the CA. Every call is safe to repeat: issue is deduplicated by the request
/// key (the application id), and a status change already in force counts as done. Failures follow the CA
/// connector's split: <see cref="CaRefusedException"/> is for good, anything else is retried.
/// </summary>
public interface ICertificateAuthorityGateway
{
    Task<CaIssuedCertificate> IssueAsync(string requestKey, byte[] csrDer, CertificateProfile profile, int validityYears, CancellationToken ct);
    Task RevokeAsync(string serialHex, RevocationReason reason, CancellationToken ct);
    Task HoldAsync(string serialHex, CancellationToken ct);
    Task ReleaseHoldAsync(string serialHex, CancellationToken ct);
}

/// <summary>The default: the embedded CA in this process, which takes the subject from the approved application.</summary>
public sealed class EmbeddedCaGateway(EmbeddedCertificateAuthority ca) : ICertificateAuthorityGateway
{
    public Task<CaIssuedCertificate> IssueAsync(string requestKey, byte[] csrDer, CertificateProfile profile, int validityYears, CancellationToken ct) =>
        ca.IssueAsync(requestKey, csrDer, profile, validityYears, ct);

    // AlreadyInRequestedState is success too: a retry after a lost commit finds the change already made.
    public Task RevokeAsync(string serialHex, RevocationReason reason, CancellationToken ct) => ca.RevokeAsync(serialHex, reason, ct);
    public Task HoldAsync(string serialHex, CancellationToken ct) => ca.HoldAsync(serialHex, ct);
    public Task ReleaseHoldAsync(string serialHex, CancellationToken ct) => ca.ReleaseHoldAsync(serialHex, ct);
}
