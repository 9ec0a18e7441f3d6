using CaConnector;
using RaServer.Domain;
using RaServer.Policy;

namespace RaServer.Tests.Policy;

/// <summary>The one status decision: the newer of the RA's record and the CA's CRL, a revocation always winning.</summary>
public class CertificateStatusRuleTests
{
    private static readonly DateTimeOffset CrlIssued = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly CrlStatus Crl = new("key", "CN=CA", 7, CrlIssued, CrlIssued.AddDays(1), 1);

    private static CertificateRow Row(string state, DateTimeOffset? changedAt, int? reason = null) => new()
    {
        SerialHex = "0A", Kind = "ORGANIZATION", State = state, HolderName = "x", FirmUbn = "04595252",
        NotBefore = CrlIssued.AddYears(-1).UtcDateTime, NotAfter = CrlIssued.AddYears(1).UtcDateTime,
        RevocationReason = reason, StateChangedAt = changedAt?.UtcDateTime,
    };

    private static readonly CustomsCertificateStatus Held = new(CustomsCertificateStanding.OnHold, RevocationReason.CertificateHold, CrlIssued);
    private static readonly CustomsCertificateStatus Revoked = new(CustomsCertificateStanding.Revoked, RevocationReason.KeyCompromise, CrlIssued);
    private static readonly CustomsCertificateStatus Stale = CustomsCertificateStatus.Unknown("stale");

    public static TheoryData<string, CertificateRow, CustomsCertificateStatus, CrlStatus?, CustomsCertificateStanding, StatusOrigin> Cases => new()
    {
        { "a suspension after the CRL", Row("SUSPENDED", CrlIssued.AddMilliseconds(1)), CustomsCertificateStatus.Good, Crl, CustomsCertificateStanding.OnHold, StatusOrigin.RaRecords },
        { "a release after the CRL", Row("ACTIVE", CrlIssued.AddSeconds(1)), Held, Crl, CustomsCertificateStanding.Good, StatusOrigin.RaRecords },
        { "a revocation the CRL does not list yet", Row("REVOKED", CrlIssued.AddSeconds(1), 1), Held, Crl, CustomsCertificateStanding.Revoked, StatusOrigin.RaRecords },
        { "a revocation older than a CRL that omits it", Row("REVOKED", CrlIssued.AddSeconds(-1), 1), CustomsCertificateStatus.Good, Crl, CustomsCertificateStanding.Revoked, StatusOrigin.RaRecords },
        { "a revocation in both, the RA's newer", Row("REVOKED", CrlIssued.AddSeconds(1), 1), Revoked, Crl, CustomsCertificateStanding.Revoked, StatusOrigin.RaRecords },
        { "a revocation in both, the CRL newer", Row("REVOKED", CrlIssued.AddSeconds(-1), 1), Revoked, Crl, CustomsCertificateStanding.Revoked, StatusOrigin.Crl },
        { "a CRL revocation over a newer RA hold", Row("SUSPENDED", CrlIssued.AddSeconds(1)), Revoked, Crl, CustomsCertificateStanding.Revoked, StatusOrigin.Crl },
        { "a CRL revocation over a newer RA release", Row("ACTIVE", CrlIssued.AddSeconds(1)), Revoked, Crl, CustomsCertificateStanding.Revoked, StatusOrigin.Crl },
        { "a hold at the CA newer than the RA's release", Row("ACTIVE", CrlIssued.AddSeconds(-1)), Held, Crl, CustomsCertificateStanding.OnHold, StatusOrigin.Crl },
        { "a tie goes to the CRL", Row("SUSPENDED", CrlIssued), CustomsCertificateStatus.Good, Crl, CustomsCertificateStanding.Good, StatusOrigin.Crl },
        { "a state never changed leaves the CRL to decide", Row("ACTIVE", null), Held, Crl, CustomsCertificateStanding.OnHold, StatusOrigin.Crl },
        { "a stale CRL and nothing newer is unknown", Row("ACTIVE", null), Stale, Crl, CustomsCertificateStanding.Unknown, StatusOrigin.Crl },
        { "a stale CRL is not vouched for by a newer release", Row("ACTIVE", CrlIssued.AddSeconds(1)), Stale, Crl, CustomsCertificateStanding.Unknown, StatusOrigin.Crl },
        { "a newer hold counts with a stale CRL", Row("SUSPENDED", CrlIssued.AddSeconds(1)), Stale, Crl, CustomsCertificateStanding.OnHold, StatusOrigin.RaRecords },
        { "no CRL and no change is unknown from nowhere", Row("ACTIVE", null), CustomsCertificateStatus.Unknown("none"), null, CustomsCertificateStanding.Unknown, StatusOrigin.None },
        { "no CRL and a hold counts", Row("SUSPENDED", CrlIssued), CustomsCertificateStatus.Unknown("none"), null, CustomsCertificateStanding.OnHold, StatusOrigin.RaRecords },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_status_comes_from_the_newer_record_and_a_revocation_always_wins(
        string why, CertificateRow record, CustomsCertificateStatus onCrl, CrlStatus? crl, CustomsCertificateStanding standing, StatusOrigin origin)
    {
        var decided = CertificateStatusRule.Decide(record, onCrl, crl);
        Assert.True(decided.Standing == standing && decided.Origin == origin, $"{why}: {decided.Standing} from {decided.Origin}");
    }

    [Fact]
    public void The_reason_comes_with_the_status_it_belongs_to()
    {
        Assert.Equal(RevocationReason.CertificateHold,
            CertificateStatusRule.Decide(Row("SUSPENDED", CrlIssued.AddSeconds(1)), CustomsCertificateStatus.Good, Crl).Reason);
        Assert.Equal(RevocationReason.KeyCompromise,
            CertificateStatusRule.Decide(Row("REVOKED", CrlIssued.AddSeconds(1), 1), CustomsCertificateStatus.Good, Crl).Reason);
        Assert.Null(CertificateStatusRule.Decide(Row("ACTIVE", CrlIssued.AddSeconds(1)), Held, Crl).Reason);
    }
}
