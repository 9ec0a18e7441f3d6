using System.Security.Cryptography.X509Certificates;
using CaConnector;
using RaServer.Domain;

namespace RaServer.Trust;

/// <summary>
/// The current CRL of the CA that issues the customs-dedicated certificates (the embedded CA or an external one),
/// in memory: with the RA's own records, the source of suspension and revocation verdicts on customs messages. Kept apart from
/// <see cref="CrlStore"/> because it answers a different question (hold, release or revocation, with the reason)
/// about certificates of a CA the RA does not accept as identity. Readers never lock: a CRL is swapped in whole.
/// </summary>
public sealed class CustomsCaCrl(TimeProvider clock)
{
    private readonly Lock _updateGate = new();
    private volatile Snapshot? _current;

    /// <summary>The CRL held, or null before the first one.</summary>
    public CrlStatus? Current => _current?.Status;

    /// <summary>The DER of the CRL held, for persisting it.</summary>
    public ReadOnlyMemory<byte>? CurrentDer => _current?.Der;

    /// <summary>
    /// Verifies <paramref name="der"/> against the customs CA's certificate <paramref name="issuer"/> (name, authority
    /// key identifier and signature) and makes it current. Refuses a CRL of another CA, a bad signature, and a number
    /// that does not rise (an old CRL replayed would release held certificates). The very CRL held changes nothing.
    /// </summary>
    public CrlStatus Update(byte[] der, X509Certificate2 issuer)
    {
        var crl = CrlDocument.Parse(der);
        var issuerKeyId = KeyIdentifiers.Of(issuer);
        if (!crl.Issuer.RawData.AsSpan().SequenceEqual(issuer.SubjectName.RawData)
            || (crl.AuthorityKeyId is not null && crl.AuthorityKeyId != issuerKeyId))
            throw new RaException(RaErrorKind.Invalid, "CRL_ISSUER_UNKNOWN",
                $"The CRL was issued by {crl.Issuer.Name} (key {crl.AuthorityKeyId ?? "not named"}), not by the customs CA {issuer.Subject} (key {issuerKeyId}).");
        if (!crl.IsSignedBy(issuer))
            throw new RaException(RaErrorKind.Invalid, "CRL_SIGNATURE_INVALID",
                $"The CRL claiming to be from {issuer.Subject} is not signed by that CA.");
        var entries = CustomsCaCrlEntries.Read(crl.TbsCertList);
        var snapshot = new Snapshot(
            new CrlStatus(issuerKeyId, issuer.Subject, crl.CrlNumber, crl.ThisUpdate, crl.NextUpdate, entries.Count), entries, crl.Der);

        lock (_updateGate)
        {
            if (_current is { } held)
            {
                if (held.Status.IssuerKeyId == issuerKeyId && crl.CrlNumber == held.Status.CrlNumber && der.AsSpan().SequenceEqual(held.Der.Span))
                    return held.Status;
                // Only within one CA key: a new issuing key starts its own numbering.
                if (held.Status.IssuerKeyId == issuerKeyId && crl.CrlNumber <= held.Status.CrlNumber)
                    throw new RaException(RaErrorKind.FailedPrecondition, "CRL_NUMBER_NOT_RISING",
                        $"CRL number {crl.CrlNumber} of {issuer.Subject} is not above the {held.Status.CrlNumber} already held.");
            }
            _current = snapshot;
        }
        return snapshot.Status;
    }

    /// <summary>
    /// The standing of the certificate <paramref name="serialHex"/> (hex, any case, leading zero bytes or not) on the
    /// CRL held. Unknown, never Good, when no CRL is held or it is past its nextUpdate: what cannot be checked is not vouched for.
    /// </summary>
    public CustomsCertificateStatus StatusOf(string serialHex) => Look(serialHex).Status;

    /// <summary>
    /// <see cref="StatusOf"/> together with the CRL it was read from, both from one snapshot: a verdict and the CRL
    /// its evidence names must not straddle an update.
    /// </summary>
    public (CustomsCertificateStatus Status, CrlStatus? Crl) Look(string serialHex)
    {
        if (_current is not { } crl)
            return (CustomsCertificateStatus.Unknown("No CRL of the customs CA is held yet."), null);
        if (crl.Status.NextUpdate < clock.GetUtcNow())
            return (CustomsCertificateStatus.Unknown($"The customs CA's CRL {crl.Status.CrlNumber} expired at {crl.Status.NextUpdate:u}."), crl.Status);
        var status = crl.Entries.TryGetValue(SerialNumbers.Canonical(serialHex), out var entry)
            ? entry.Standing()
            : CustomsCertificateStatus.Good;
        return (status, crl.Status);
    }

    private sealed record Snapshot(CrlStatus Status, Dictionary<string, CustomsCaCrlEntry> Entries, ReadOnlyMemory<byte> Der);
}
