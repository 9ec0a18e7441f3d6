using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using RaServer.Domain;

namespace RaServer.Trust;

/// <summary>
/// The current CRL of every trusted CA, in memory, keyed by the CA's key identifier. Readers never lock:
/// each CRL is an immutable snapshot swapped in whole by <see cref="Update"/>.
/// </summary>
public sealed class CrlStore(TrustAnchors trust)
{
    private readonly ConcurrentDictionary<string, Snapshot> _byIssuer = new(StringComparer.Ordinal);
    private readonly Lock _updateGate = new();

    /// <summary>The CRLs held, for the fetcher to persist and for health reports.</summary>
    public IReadOnlyCollection<CrlStatus> Statuses => _byIssuer.Values.Select(s => s.Status).ToList();

    public CrlStatus? Status(string issuerKeyId) => _byIssuer.TryGetValue(issuerKeyId, out var s) ? s.Status : null;

    /// <summary>The DER of the CRL held for a CA, or null.</summary>
    public ReadOnlyMemory<byte>? CurrentCrl(string issuerKeyId) => _byIssuer.TryGetValue(issuerKeyId, out var s) ? s.Der : null;

    /// <summary>
    /// Verifies <paramref name="der"/> against the trusted CA that issued it and makes it current. Refuses
    /// a CRL from an unknown CA, with a bad signature, or older than the one held (a replayed old CRL
    /// would un-revoke certificates). Loading the very CRL held again changes nothing.
    /// </summary>
    public CrlStatus Update(byte[] der)
    {
        var crl = CrlDocument.Parse(der);
        var issuer = FindIssuer(crl);
        var keyId = KeyIdentifiers.Of(issuer);
        var snapshot = new Snapshot(
            new CrlStatus(keyId, issuer.Subject, crl.CrlNumber, crl.ThisUpdate, crl.NextUpdate, crl.RevokedSerials.Count),
            crl.RevokedSerials,
            crl.Der,
            // Reasons are read only once a registered certificate on this CRL is judged: an identity check needs none,
            // and a government CRL can hold hundreds of thousands of entries.
            new Lazy<Dictionary<string, CustomsCaCrlEntry>>(() => CustomsCaCrlEntries.Read(crl.TbsCertList)));

        lock (_updateGate)
        {
            if (_byIssuer.TryGetValue(keyId, out var held))
            {
                if (crl.CrlNumber == held.Status.CrlNumber && der.AsSpan().SequenceEqual(held.Der.Span))
                    return held.Status;
                // RFC 5280 5.2.3: the number rises with every CRL, so an equal number with other content is as suspect as a lower one.
                if (crl.CrlNumber <= held.Status.CrlNumber)
                    throw new RaException(RaErrorKind.FailedPrecondition, "CRL_NUMBER_NOT_RISING",
                        $"CRL number {crl.CrlNumber} of {issuer.Subject} is not above the {held.Status.CrlNumber} already held.");
            }
            _byIssuer[keyId] = snapshot;
        }
        return snapshot.Status;
    }

    /// <summary>
    /// Throws unless a fresh CRL of the CA <paramref name="issuerKeyId"/> is held and does not list
    /// <paramref name="serialHex"/>. No CRL, or a stale one, is a refusal: never accept what cannot be checked.
    /// </summary>
    internal void EnsureNotRevoked(string issuerKeyId, string serialHex, string subject, DateTimeOffset now)
    {
        if (!_byIssuer.TryGetValue(issuerKeyId, out var crl))
            throw new RaException(RaErrorKind.Unavailable, "CRL_UNAVAILABLE",
                $"No CRL is held for the issuer of {subject}; the certificate's status cannot be checked.");
        if (crl.Status.NextUpdate < now)
            throw new RaException(RaErrorKind.Unavailable, "CRL_UNAVAILABLE",
                $"The CRL of {crl.Status.IssuerDn} expired at {crl.Status.NextUpdate:u}; the certificate's status cannot be checked.");
        if (crl.Revoked.Contains(serialHex))
            throw new RaException(RaErrorKind.Unauthenticated, "SIGNER_CERT_REVOKED",
                $"The certificate {subject} (serial {serialHex}) is revoked or on hold.");
    }

    /// <summary>
    /// What the CRL of the CA <paramref name="issuerKeyId"/> says of its certificate <paramref name="serialHex"/>, a hold
    /// told from a revocation: the verdict on a message signed with a registered government certificate. Unknown, never
    /// Good, when no fresh CRL of that CA is held.
    /// </summary>
    public CustomsCertificateStatus StandingOf(string issuerKeyId, string serialHex, DateTimeOffset now)
    {
        if (!_byIssuer.TryGetValue(issuerKeyId, out var crl))
            return CustomsCertificateStatus.Unknown("No CRL is held for the issuer of this certificate.");
        if (crl.Status.NextUpdate < now)
            return CustomsCertificateStatus.Unknown($"The CRL {crl.Status.CrlNumber} of {crl.Status.IssuerDn} expired at {crl.Status.NextUpdate:u}.");
        var serial = CaConnector.SerialNumbers.Canonical(serialHex);
        if (!crl.Revoked.Contains(serial))
            return CustomsCertificateStatus.Good;
        // Both lists come from the same DER, so a listed serial always has its entry; were it missing, listed still means revoked.
        return crl.Entries.Value.TryGetValue(serial, out var entry) ? entry.Standing() : new CustomsCertificateStatus(CustomsCertificateStanding.Revoked);
    }

    private X509Certificate2 FindIssuer(CrlDocument crl)
    {
        // Generations of a CA share one DN; the CRL's authority key identifier, then its signature, pick the right one.
        var candidates = trust.All
            .Where(ca => ca.SubjectName.RawData.AsSpan().SequenceEqual(crl.Issuer.RawData))
            .Where(ca => crl.AuthorityKeyId is null || KeyIdentifiers.Of(ca) == crl.AuthorityKeyId)
            .Where(MaySignCrls)
            .ToList();
        if (candidates.Count == 0)
            throw new RaException(RaErrorKind.Invalid, "CRL_ISSUER_UNKNOWN",
                $"The CRL was issued by {crl.Issuer.Name}, which is not a trusted CA.");
        return candidates.FirstOrDefault(crl.IsSignedBy)
            ?? throw new RaException(RaErrorKind.Invalid, "CRL_SIGNATURE_INVALID",
                $"The CRL claiming to be from {crl.Issuer.Name} is not signed by that CA.");
    }

    private static bool MaySignCrls(X509Certificate2 ca) =>
        ca.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault() is not { } usage
        || usage.KeyUsages.HasFlag(X509KeyUsageFlags.CrlSign);

    private sealed record Snapshot(CrlStatus Status, HashSet<string> Revoked, ReadOnlyMemory<byte> Der, Lazy<Dictionary<string, CustomsCaCrlEntry>> Entries);
}
