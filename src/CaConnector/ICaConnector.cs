namespace CaConnector;

/// <summary>
/// The RA's one door to a certification authority (docs/ARCHITECTURE.md §3, docs/CMP.md): issue, renew, revoke, suspend and unsuspend.
/// Failures are typed so the caller (the CA dispatcher working off the outbox) knows what to do next:
/// <see cref="CaRefusedException"/> is final (mark the application FAILED), <see cref="CaUnavailableException"/>
/// means "try again later", and <see cref="CaOutcomeUnknownException"/> means "reconcile before trying again".
/// </summary>
public interface ICaConnector
{
    /// <summary>Asks the CA to certify the applicant's CSR (CMP p10cr, confirmed with certConf).</summary>
    Task<CaIssuedCertificate> IssueAsync(CaIssueRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// A renewal is an issue with the applicant's new CSR: kur would need a signature by the old key,
    /// which the RA never holds (docs/CMP.md).
    /// </summary>
    Task<CaIssuedCertificate> RenewAsync(CaIssueRequest request, CancellationToken cancellationToken);

    /// <summary>Permanently revokes a certificate (CMP rr). Hold and release have their own methods.</summary>
    Task<CaRevocationResult> RevokeAsync(CaCertificateId certificate, RevocationReason reason, CancellationToken cancellationToken);

    /// <summary>Puts a certificate on hold (rr with reasonCode certificateHold, 6).</summary>
    Task<CaRevocationResult> SuspendAsync(CaCertificateId certificate, CancellationToken cancellationToken);

    /// <summary>Releases a held certificate (rr with reasonCode removeFromCRL, 8).</summary>
    Task<CaRevocationResult> UnsuspendAsync(CaCertificateId certificate, CancellationToken cancellationToken);
}
