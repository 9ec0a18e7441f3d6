using RaServer.Domain;
using RaServer.Policy;

namespace RaServer.Tests.Policy;

/// <summary>Eligibility as a table of cases, including the awkward ones.</summary>
public class EligibilityPolicyTests
{
    private const string Firm = "04595252";
    private const string Broker = "A123456789";
    // 2026-11-27 10:00 in Taiwan.
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 2, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2026, 11, 27);
    private static readonly EligibilityOptions Options = new() { EligibleOperatorKinds = [.. OperatorKinds.All] };

    private static ApplicationRequest Personal(string service = "NEW", string? serial = null) =>
        new(service, "PERSONAL", Firm, null, Broker, "測試人員", Firm, serial);

    private static ApplicationRequest Organization(string service = "NEW", string? serial = null) =>
        new(service, "ORGANIZATION", Firm, null, null, "測試報關股份有限公司", Firm, serial);

    private static OperatorFacts ActiveFirm(string kind = "CUSTOMS_BROKER", string status = "ACTIVE") =>
        new(Firm, "測試報關股份有限公司", kind, status, "AA");

    private static BrokerFacts ActiveBroker(string status = "ACTIVE", DateOnly? mandateEnd = null, DateOnly? mandateStart = null) =>
        new(Broker, "測試人員", status, [(mandateStart ?? new DateOnly(2025, 1, 1), mandateEnd)]);

    private static CertificateFacts Certificate(string kind = "PERSONAL", string state = "ACTIVE", int daysLeft = 30,
        string? owner = Firm, bool renewed = false) =>
        new("0A1B", kind, state, kind == "PERSONAL" ? Broker : null, Firm, owner, null, Now.AddDays(daysLeft), renewed);

    private static string[] Codes(EligibilityFacts facts) => EligibilityPolicy.Evaluate(facts, Options).Select(f => f.Code).ToArray();

    public static TheoryData<string, EligibilityFacts, string[]> Cases => new()
    {
        { "personal, all in order", new(Personal(), ActiveFirm(), ActiveBroker(), null, false, Now), [] },
        { "mandate ended yesterday", new(Personal(), ActiveFirm(), ActiveBroker(mandateEnd: Today.AddDays(-1)), null, false, Now), ["MANDATE_NOT_ACTIVE"] },
        { "mandate ends today still counts", new(Personal(), ActiveFirm(), ActiveBroker(mandateEnd: Today), null, false, Now), [] },
        { "mandate starts tomorrow", new(Personal(), ActiveFirm(), ActiveBroker(mandateStart: Today.AddDays(1)), null, false, Now), ["MANDATE_NOT_ACTIVE"] },
        { "firm suspended", new(Personal(), ActiveFirm(status: "SUSPENDED"), ActiveBroker(), null, false, Now), ["OPERATOR_NOT_ACTIVE"] },
        { "firm is a carrier, not a customs broker", new(Personal(), ActiveFirm(kind: "CARRIER"), ActiveBroker(), null, false, Now), ["FIRM_NOT_CUSTOMS_BROKER"] },
        { "firm unknown", new(Personal(), null, ActiveBroker(), null, false, Now), ["OPERATOR_NOT_REGISTERED"] },
        { "broker unknown", new(Personal(), ActiveFirm(), null, null, false, Now), ["BROKER_NOT_REGISTERED"] },
        { "broker disqualified", new(Personal(), ActiveFirm(), ActiveBroker(status: "DISQUALIFIED"), null, false, Now), ["BROKER_NOT_QUALIFIED"] },
        { "broker's name differs from the registry", new(Personal() with { SubjectName = "別人" }, ActiveFirm(), ActiveBroker(), null, false, Now), ["SUBJECT_NAME_MISMATCH"] },
        { "another firm applies for the broker", new(Personal() with { ApplicantUbn = "04595257" }, ActiveFirm(), ActiveBroker(), null, false, Now), ["APPLICANT_NOT_FIRM"] },
        { "the broker applies himself", new(Personal() with { ApplicantUbn = null, ApplicantNationalId = Broker }, ActiveFirm(), ActiveBroker(), null, false, Now), [] },
        { "organization, all in order", new(Organization(), ActiveFirm(kind: "FORWARDER"), null, null, false, Now), [] },
        { "organization for someone else", new(Organization() with { ApplicantUbn = "04595257" }, ActiveFirm(), null, null, false, Now), ["APPLICANT_NOT_SUBJECT"] },
        { "organization revoked in the registry", new(Organization(), ActiveFirm(status: "REVOKED"), null, null, false, Now), ["OPERATOR_NOT_ACTIVE"] },
        { "organization name mismatch", new(Organization() with { SubjectName = "別家公司" }, ActiveFirm(), null, null, false, Now), ["SUBJECT_NAME_MISMATCH"] },
        { "suspend an active certificate", new(Personal("SUSPEND", "0A1B"), null, null, Certificate(), false, Now), [] },
        { "suspend a certificate already on hold", new(Personal("SUSPEND", "0A1B"), null, null, Certificate(state: "SUSPENDED"), false, Now), ["CERTIFICATE_NOT_ACTIVE"] },
        { "unsuspend a held certificate", new(Personal("UNSUSPEND", "0A1B"), null, null, Certificate(state: "SUSPENDED"), false, Now), [] },
        { "unsuspend an active certificate", new(Personal("UNSUSPEND", "0A1B"), null, null, Certificate(), false, Now), ["CERTIFICATE_NOT_SUSPENDED"] },
        { "revoke a held certificate", new(Personal("REVOKE", "0A1B"), null, null, Certificate(state: "SUSPENDED"), false, Now), [] },
        { "revoke a revoked certificate", new(Personal("REVOKE", "0A1B"), null, null, Certificate(state: "REVOKED"), false, Now), ["CERTIFICATE_REVOKED"] },
        { "revoke a disqualified broker's certificate", new(Personal("REVOKE", "0A1B"), ActiveFirm(), ActiveBroker(status: "DISQUALIFIED"), Certificate(), false, Now), [] },
        { "suspend an expired certificate", new(Personal("SUSPEND", "0A1B"), null, null, Certificate(daysLeft: -1), false, Now), ["CERTIFICATE_EXPIRED"] },
        { "unknown certificate", new(Personal("REVOKE", "0A1B"), null, null, null, false, Now), ["CERTIFICATE_NOT_FOUND"] },
        { "someone else's certificate, answered as an unknown one", new(Personal("SUSPEND", "0A1B"), null, null, Certificate(owner: "04595257"), false, Now), ["CERTIFICATE_NOT_FOUND"] },
        { "second open application for one certificate", new(Personal("SUSPEND", "0A1B"), null, null, Certificate(), true, Now), ["OPEN_APPLICATION_EXISTS"] },
        { "kind differs from the certificate", new(Organization("SUSPEND", "0A1B"), null, null, Certificate(), false, Now), ["CERTIFICATE_KIND_MISMATCH", "SUBJECT_NOT_CERTIFICATE_HOLDER"] },
        { "renew within the window", new(Personal("RENEW", "0A1B"), ActiveFirm(), ActiveBroker(), Certificate(daysLeft: 30), false, Now), [] },
        { "renew too early", new(Personal("RENEW", "0A1B"), ActiveFirm(), ActiveBroker(), Certificate(daysLeft: 200), false, Now), ["RENEWAL_TOO_EARLY"] },
        { "renew twice", new(Personal("RENEW", "0A1B"), ActiveFirm(), ActiveBroker(), Certificate(renewed: true), false, Now), ["CERTIFICATE_ALREADY_RENEWED"] },
        { "renew a held certificate", new(Personal("RENEW", "0A1B"), ActiveFirm(), ActiveBroker(), Certificate(state: "SUSPENDED"), false, Now), ["CERTIFICATE_NOT_ACTIVE"] },
        { "renew after the mandate ended", new(Personal("RENEW", "0A1B"), ActiveFirm(), ActiveBroker(mandateEnd: Today.AddDays(-1)), Certificate(), false, Now), ["MANDATE_NOT_ACTIVE"] },
    };

    [Theory, MemberData(nameof(Cases))]
    public void Eligibility_reports_every_failed_rule(string because, EligibilityFacts facts, string[] expected)
    {
        Assert.True(expected.SequenceEqual(Codes(facts)), $"{because}: expected [{string.Join(", ", expected)}], got [{string.Join(", ", Codes(facts))}]");
    }

    [Fact]
    public void Every_failure_carries_a_readable_message_and_the_field_it_concerns()
    {
        var failures = EligibilityPolicy.Evaluate(new(Personal(), null, null, null, false, Now), Options);
        Assert.NotEmpty(failures);
        Assert.All(failures, f => Assert.False(string.IsNullOrWhiteSpace(f.Message) || string.IsNullOrWhiteSpace(f.Field)));
    }
}
