using RaServer.Domain;
using RaServer.Policy;

namespace RaServer.Tests.Policy;

/// <summary>Which government CA an issuer name is, whom it serves, and the state a registered certificate is listed in.</summary>
public sealed class GovernmentPkiPolicyTests
{
    [Theory]
    [InlineData("行政院", "工商憑證管理中心", GovernmentAuthority.Moeaca)]
    [InlineData("行政院", "內政部憑證管理中心", GovernmentAuthority.Moica)]
    [InlineData("行政院", "政府憑證管理中心", GovernmentAuthority.Gca)]
    [InlineData("行政院", "組織及團體憑證管理中心", GovernmentAuthority.Xca)]
    [InlineData("行政院", "RaBackend Dev Test", null)]
    [InlineData("Government Root Certification Authority", null, null)]
    [InlineData("某公司", "工商憑證管理中心", null)]
    [InlineData(null, "工商憑證管理中心", null)]
    public void An_issuing_ca_is_known_by_the_shared_organisation_and_its_unit(string? organization, string? unit, GovernmentAuthority? expected) =>
        Assert.Equal(expected, GovernmentPkiPolicy.AuthorityNamed(organization, unit));

    [Theory]
    [InlineData(GovernmentAuthority.Moeaca, GovernmentHolderType.Firm)]
    [InlineData(GovernmentAuthority.Moica, GovernmentHolderType.Person)]
    [InlineData(GovernmentAuthority.Gca, GovernmentHolderType.Agency)]
    [InlineData(GovernmentAuthority.Xca, GovernmentHolderType.Organisation)]
    public void Each_ca_serves_one_kind_of_holder(GovernmentAuthority authority, GovernmentHolderType holder) =>
        Assert.Equal(holder, GovernmentPkiPolicy.Serves(authority));

    [Theory]
    [InlineData(GovernmentHolderType.Person, null, "A123456789", true)]
    [InlineData(GovernmentHolderType.Person, "04595252", null, false)]
    [InlineData(GovernmentHolderType.Firm, "04595252", null, true)]
    [InlineData(GovernmentHolderType.Agency, null, "A123456789", false)]
    [InlineData(GovernmentHolderType.Organisation, "04595252", null, true)]
    public void A_holder_is_identified_by_a_national_id_or_else_a_ubn(GovernmentHolderType kind, string? ubn, string? nationalId, bool carries) =>
        Assert.Equal(carries, GovernmentPkiPolicy.CarriesIdentifier(kind, ubn, nationalId));

    [Theory]
    [InlineData(CustomsCertificateStanding.Good, 10, "ACTIVE")]
    [InlineData(CustomsCertificateStanding.Good, -1, "EXPIRED")]
    [InlineData(CustomsCertificateStanding.Unknown, 10, "ACTIVE")]
    [InlineData(CustomsCertificateStanding.OnHold, 10, "SUSPENDED")]
    [InlineData(CustomsCertificateStanding.Revoked, 10, "REVOKED")]
    [InlineData(CustomsCertificateStanding.Revoked, -1, "REVOKED")]
    public void The_crl_decides_before_the_dates(CustomsCertificateStanding standing, int daysLeft, string state)
    {
        var now = new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(state, GovernmentPkiPolicy.StateOf(standing, now.AddDays(daysLeft), now));
    }
}
