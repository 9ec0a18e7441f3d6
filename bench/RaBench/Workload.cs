using System.Globalization;
using Customs.Ra.V1;
using RaServer.Policy;
using Ra.Client.Signing;

namespace RaBench;

/// <summary>
/// The data the scenarios put into the RA: the dev test company (whose MOEACA certificate signs every request) as an
/// active operator, and its applications. The same facts as the tests' WorkflowScenario, copied rather than referenced
/// because the bench must not depend on the test project.
/// </summary>
public static class Workload
{
    public const string FirmUbn = "04595252";
    public const string FirmName = "測試報關股份有限公司";

    public static async Task LoadCompanyAsync(BenchEnvironment env)
    {
        using var channel = env.Channel("registry");
        await new Registry.RegistryClient(channel).UpsertOperatorAsync(new UpsertOperatorRequest
        {
            Operator = new Operator
            {
                Ubn = FirmUbn, Name = FirmName, Kind = OperatorKind.CustomsBroker, CustomsOfficeCode = "AA",
                BoxNumber = "207/0", Status = OperatorStatus.Active,
            },
        });
    }

    /// <summary>A signed online NEW application for an organisation certificate; returns it as the RA answered.</summary>
    public static async Task<Application> SubmitNewOrganizationApplicationAsync(BenchEnvironment env, RequestSigner signer)
    {
        using var channel = env.Channel();
        var envelope = signer.Sign(new SubmitApplicationPayload
        {
            Header = RequestSigner.OrganizationHeader(FirmUbn, FirmName),
            Content = new ApplicationContent
            {
                ServiceType = ServiceType.New,
                Kind = CertificateKind.Organization,
                NoticeEmail = "broker-office@example.test",
                Organization = new OrganizationSubject { Ubn = FirmUbn, Name = FirmName },
            },
        });
        var response = await new RegistrationAuthority.RegistrationAuthorityClient(channel)
            .SubmitApplicationAsync(new SubmitApplicationRequest { Envelope = envelope });
        return response.Application;
    }

    /// <summary>Valid UBNs in ascending order (the checksum of DOMAIN.md), for bulk operator records.</summary>
    public static IEnumerable<string> ValidUbns()
    {
        for (var n = 10_000_000; n <= 99_999_999; n++)
        {
            var candidate = n.ToString("D8", CultureInfo.InvariantCulture);
            if (TaiwanIdentifiers.IsValidUbn(candidate))
                yield return candidate;
        }
    }
}
