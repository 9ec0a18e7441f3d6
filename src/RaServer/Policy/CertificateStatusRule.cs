using CaConnector;
using RaServer.Domain;

namespace RaServer.Policy;

/// <summary>Which record a certificate's status was taken from.</summary>
public enum StatusOrigin
{
    /// <summary>Neither: no CRL of the customs CA is held and the RA has nothing newer.</summary>
    None,

    /// <summary>The customs CA's CRL the RA holds.</summary>
    Crl,

    /// <summary>The RA's certificate record, written when the CA answered a hold, release or revocation.</summary>
    RaRecords,
}

/// <summary>A certificate's status as the verdict and the evidence both report it.</summary>
/// <param name="Reason">For Revoked and OnHold: the revocation reason (certificateHold for a hold).</param>
public sealed record DecidedStatus(CustomsCertificateStanding Standing, RevocationReason? Reason, StatusOrigin Origin);

/// <summary>
/// The one status decision for a certificate of our CA, from two records of it: the RA's (state and when the CA's
/// answer last changed it) and the CA's CRL (the entry, as of the CRL's thisUpdate). The newer one is the status,
/// so a change the CA has answered counts from the moment the RA records it, not from the next CRL fetch; a change
/// made at the CA behind the RA's back counts once a CRL newer than the RA's record shows it. Ties go to the CRL.
/// A permanent revocation in either record wins over everything else, as it can never be undone. Where the RA has
/// nothing newer, a stale or missing CRL leaves the status Unknown; the RA's record of a release is not vouched for
/// without a current CRL either, because the CRL is also how a revocation the RA did not ask for would show. Pure.
/// </summary>
public static class CertificateStatusRule
{
    /// <param name="record">The RA's certificate row.</param>
    /// <param name="onCrl">The certificate's standing on the CRL held (Unknown when none is held or it is stale).</param>
    /// <param name="crl">The CRL held, stale or not; null when none is held.</param>
    public static DecidedStatus Decide(CertificateRow record, CustomsCertificateStatus onCrl, CrlStatus? crl)
    {
        var fromCrl = FromCrl(onCrl, crl);
        var recordIsNewer = RecordIsNewer(record, crl);
        var crlRevokes = onCrl.Standing == CustomsCertificateStanding.Revoked;
        // Both revoked: the newer record gives the reason and is named as the source, like any other status.
        if (record.State == "REVOKED" && (recordIsNewer || !crlRevokes))
            return new(CustomsCertificateStanding.Revoked, ReasonOf(record.RevocationReason), StatusOrigin.RaRecords);
        if (crlRevokes || !recordIsNewer)
            return fromCrl;
        return record.State switch
        {
            "SUSPENDED" => new(CustomsCertificateStanding.OnHold, RevocationReason.CertificateHold, StatusOrigin.RaRecords),
            "ACTIVE" when onCrl.Standing == CustomsCertificateStanding.Unknown => fromCrl,
            "ACTIVE" => new(CustomsCertificateStanding.Good, null, StatusOrigin.RaRecords),
            _ => throw new ArgumentOutOfRangeException(nameof(record), record.State, "not a certificate state the RA stores"),
        };
    }

    /// <summary>
    /// The status of a certificate the RA keeps no state for (a registered government PKI certificate): its CA's CRL
    /// alone, Unknown when that CRL is missing or stale.
    /// </summary>
    public static DecidedStatus FromCrl(CustomsCertificateStatus onCrl, CrlStatus? crl) =>
        new(onCrl.Standing, onCrl.Reason, crl is null ? StatusOrigin.None : StatusOrigin.Crl);

    /// <summary>
    /// True when the CA's answer that set the RA's state came after the CRL's thisUpdate. The embedded CA writes
    /// thisUpdate in whole seconds, rounded down, so a CRL published in the same second as the change counts as
    /// older: the RA's record, which already agrees with it, answers until a later CRL.
    /// </summary>
    private static bool RecordIsNewer(CertificateRow record, CrlStatus? crl) =>
        record.StateChangedAt is { } changed
        && (crl is null || new DateTimeOffset(DateTime.SpecifyKind(changed, DateTimeKind.Utc)) > crl.ThisUpdate);

    // RFC 5280: an absent or unknown reason code is a revocation all the same, for an unspecified reason.
    private static RevocationReason ReasonOf(int? code) =>
        code is { } stored && CrlReasonCodes.ReasonOf(stored) is { } reason ? reason : RevocationReason.Unspecified;
}
