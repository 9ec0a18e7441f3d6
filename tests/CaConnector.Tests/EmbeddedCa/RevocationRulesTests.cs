using EmbeddedCa;

namespace CaConnector.Tests.EmbeddedCa;

public class RevocationRulesTests
{
    public static TheoryData<CertificateStatus, StatusRequest, StatusOutcome, CertificateStatus, CmpFailureInfo> Table => new()
    {
        { CertificateStatus.Active, StatusRequest.Revoke, StatusOutcome.Change, CertificateStatus.Revoked, CmpFailureInfo.None },
        { CertificateStatus.Active, StatusRequest.Hold, StatusOutcome.Change, CertificateStatus.Held, CmpFailureInfo.None },
        { CertificateStatus.Active, StatusRequest.Release, StatusOutcome.Refuse, CertificateStatus.Active, CmpFailureInfo.BadRequest },
        { CertificateStatus.Held, StatusRequest.Revoke, StatusOutcome.Change, CertificateStatus.Revoked, CmpFailureInfo.None },
        { CertificateStatus.Held, StatusRequest.Hold, StatusOutcome.AlreadyInRequestedState, CertificateStatus.Held, CmpFailureInfo.CertRevoked },
        { CertificateStatus.Held, StatusRequest.Release, StatusOutcome.Change, CertificateStatus.Active, CmpFailureInfo.None },
        { CertificateStatus.Revoked, StatusRequest.Revoke, StatusOutcome.AlreadyInRequestedState, CertificateStatus.Revoked, CmpFailureInfo.CertRevoked },
        { CertificateStatus.Revoked, StatusRequest.Hold, StatusOutcome.Refuse, CertificateStatus.Revoked, CmpFailureInfo.CertRevoked },
        { CertificateStatus.Revoked, StatusRequest.Release, StatusOutcome.Refuse, CertificateStatus.Revoked, CmpFailureInfo.CertRevoked },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Only_a_hold_can_be_lifted_and_a_permanent_revocation_wins(
        CertificateStatus current, StatusRequest request, StatusOutcome outcome, CertificateStatus after, CmpFailureInfo failure)
    {
        var decision = RevocationRules.Decide(current, request);

        Assert.Equal(outcome, decision.Outcome);
        Assert.Equal(after, decision.NewStatus);
        Assert.Equal(failure, decision.FailureInfo);
        Assert.False(string.IsNullOrWhiteSpace(decision.Text));
    }

    [Theory]
    [InlineData(RevocationReason.CertificateHold, StatusRequest.Hold)]
    [InlineData(RevocationReason.RemoveFromCrl, StatusRequest.Release)]
    [InlineData(RevocationReason.KeyCompromise, StatusRequest.Revoke)]
    [InlineData(RevocationReason.Unspecified, StatusRequest.Revoke)]
    [InlineData(RevocationReason.Superseded, StatusRequest.Revoke)]
    [InlineData(RevocationReason.AaCompromise, StatusRequest.Revoke)]
    public void A_cmp_reason_code_of_6_holds_8_releases_and_any_other_revokes(RevocationReason reason, StatusRequest expected)
    {
        Assert.Equal(expected, RevocationRules.RequestFor(reason));
    }
}
