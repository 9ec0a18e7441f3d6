using RaServer.Domain;
using RaServer.Policy;

namespace RaServer.Tests.Policy;

/// <summary>The certificate the RA decides on when it forwards a NEW or RENEW: a pure function of the application.</summary>
public class CertificatePolicyTests
{
    private static readonly FeeOptions Fees = new()
    {
        Schedule =
        [
            new FeeEntry { Kind = "PERSONAL", ServiceType = "NEW", AmountNtd = 600, ValidityYears = 3 },
            new FeeEntry { Kind = "PERSONAL", ServiceType = "RENEW", AmountNtd = 600, ValidityYears = 2 },
            new FeeEntry { Kind = "ORGANIZATION", ServiceType = "NEW", AmountNtd = 1000, ValidityYears = 5 },
        ],
    };

    public static TheoryData<string, string, string?, CertificateDecision> Cases => new()
    {
        // kind, service, the registry's firm name, the decision
        { "PERSONAL", "NEW", "測試報關股份有限公司", new("PERSONAL", "測試報關股份有限公司", "測試人員", "04595252", "6789", 3) },
        { "PERSONAL", "RENEW", "測試報關股份有限公司", new("PERSONAL", "測試報關股份有限公司", "測試人員", "04595252", "6789", 2) },
        { "PERSONAL", "NEW", null, new("PERSONAL", "04595252", "測試人員", "04595252", "6789", 3) },
        { "ORGANIZATION", "NEW", "the registry's name is not read", new("ORGANIZATION", "測試報關股份有限公司", null, "04595252", null, 5) },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_decision_takes_the_subject_from_the_application_and_the_validity_from_the_fee_schedule(
        string kind, string service, string? firmName, CertificateDecision expected)
    {
        Assert.Equal(expected, CertificatePolicy.Decide(Application(kind, service), firmName, Fees));
    }

    [Fact]
    public void A_renewals_term_starts_at_the_renewed_certificates_end_and_a_new_ones_at_its_issue()
    {
        var oldEnd = new DateTimeOffset(2027, 3, 1, 4, 0, 0, TimeSpan.Zero);

        Assert.Equal(oldEnd, CertificatePolicy.Decide(Application("PERSONAL", "RENEW"), null, Fees, oldEnd).TermFrom);
        Assert.Null(CertificatePolicy.Decide(Application("PERSONAL", "NEW"), null, Fees, oldEnd).TermFrom);
        Assert.Null(CertificatePolicy.Decide(Application("PERSONAL", "RENEW"), null, Fees).TermFrom);
    }

    [Fact]
    public void A_personal_decision_makes_the_profile_of_the_broker_at_the_firm()
    {
        var profile = CertificatePolicy.Decide(Application("PERSONAL", "NEW"), "測試報關股份有限公司", Fees).Profile();

        Assert.Equal(CaConnector.CertificateKind.Personal, profile.Kind);
        Assert.Contains("CN=測試人員", profile.Subject.Name);
        Assert.Contains("O=測試報關股份有限公司", profile.Subject.Name);
    }

    [Fact]
    public void A_service_the_fee_schedule_has_no_validity_for_is_a_configuration_error()
    {
        Assert.Throws<InvalidOperationException>(() => CertificatePolicy.Decide(Application("ORGANIZATION", "RENEW"), null, Fees));
    }

    [Fact]
    public void A_name_that_cannot_go_into_a_certificate_is_refused_before_it_reaches_the_ca()
    {
        var application = Application("ORGANIZATION", "NEW") with { SubjectName = new string('名', 65) };

        var refusal = Assert.Throws<RaException>(() => CertificatePolicy.Decide(application, null, Fees));

        Assert.Equal("CERTIFICATE_PROFILE_INVALID", refusal.Reason);
    }

    private static ApplicationRow Application(string kind, string service) => new()
    {
        Id = Guid.NewGuid(),
        RequestId = "request-1",
        Channel = "ONLINE",
        ServiceType = service,
        Kind = kind,
        State = ApplicationStatus.AwaitingKey,
        ApplicantName = "測試報關股份有限公司",
        SubjectNationalId = kind == "PERSONAL" ? "A123456789" : null,
        SubjectName = kind == "PERSONAL" ? "測試人員" : "測試報關股份有限公司",
        SubjectUbn = "04595252",
        NoticeEmail = "broker-office@example.test",
        CreatedAt = DateTime.UtcNow,
        UpdatedAt = DateTime.UtcNow,
    };
}
