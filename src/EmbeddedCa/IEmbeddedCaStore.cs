namespace EmbeddedCa;

/// <summary>A certificate the embedded CA has issued, as stored.</summary>
/// <param name="Serial">Serial number, unsigned big-endian.</param>
/// <param name="RequestKey">The caller's idempotency key; one certificate per key, ever.</param>
public sealed record IssuedCertificate(byte[] Serial, string RequestKey, CertificateKind Kind, string Subject, byte[] Der, DateTimeOffset NotBefore, DateTimeOffset NotAfter);

/// <summary>The CRL last published, the one every replica serves.</summary>
public sealed record PublishedCrl(long CrlNumber, DateTimeOffset ThisUpdate, DateTimeOffset NextUpdate, byte[] Der);

/// <summary>
/// Durable state of the embedded CA, shared by every replica (the host implements it on PostgreSQL). Each method is
/// one transaction, and each is race-free across replicas: that is the contract, not an implementation detail.
/// </summary>
public interface IEmbeddedCaStore
{
    /// <summary>The stored CA material; when there is none, stores what <paramref name="create"/> makes, exactly once across replicas.</summary>
    Task<StoredCaMaterial> LoadOrCreateMaterialAsync(Func<StoredCaMaterial> create, CancellationToken cancellationToken);

    /// <summary>
    /// The certificate issued for <paramref name="requestKey"/>; when there is none, stores the one <paramref name="sign"/>
    /// makes. <paramref name="sign"/> runs at most once per key across replicas, so no second certificate is ever signed.
    /// </summary>
    Task<(IssuedCertificate Certificate, bool Created)> IssueOnceAsync(string requestKey, Func<IssuedCertificate> sign, CancellationToken cancellationToken);

    /// <summary>The certificate issued for a request key, if any.</summary>
    Task<IssuedCertificate?> FindByRequestKeyAsync(string requestKey, CancellationToken cancellationToken);

    /// <summary>
    /// Applies <see cref="RevocationRules"/> to the certificate's current status under a row lock and stores a change.
    /// Null when no certificate has that serial.
    /// </summary>
    Task<StatusDecision?> ChangeStatusAsync(byte[] serial, StatusRequest request, RevocationReason reason, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the next CRL number, reads every held or revoked certificate, lets <paramref name="sign"/> make the CRL
    /// and stores it, all in one transaction: two replicas never use one number, and numbers only rise. The list must
    /// hold every status change committed before the number was taken; a store may keep it between calls and read
    /// only what changed (the PostgreSQL store does), handing the same entry instances back.
    /// </summary>
    Task<PublishedCrl> PublishCrlAsync(Func<long, IReadOnlyList<RevokedCertificate>, PublishedCrl> sign, CancellationToken cancellationToken);

    /// <summary>The latest published CRL, or null before the first.</summary>
    Task<PublishedCrl?> LatestCrlAsync(CancellationToken cancellationToken);
}
