using System.CommandLine;
using Customs.Ra.V1;
using Ra.Cli.Failures;
using Ra.Cli.Output;
using Ra.Cli.Settings;
using Ra.Client.Calls;

namespace Ra.Cli.Commands;

/// <summary>
/// `ra apply new|renew|suspend|unsuspend|revoke`: an applicant files an online application (SubmitApplication, signed).
/// A new one is for the signing organization, or with --personal for a broker of a firm; the others name an existing
/// certificate, whose kind and holder the application repeats as the RA requires.
/// </summary>
public static class ApplyCommands
{
    public static readonly Option<string> Email = Opt.Text("--email",
        "Address for the RA's notices (default: the profile's identities.applicant.email)", helpName: "ADDRESS");

    public static readonly Option<bool> Personal = new("--personal")
    {
        Description = "A personal certificate of a customs broker (default: the organization's certificate)",
    };

    public static readonly Option<string> BrokerId = Opt.Text("--broker-id",
        "With --personal: the broker's national id (default: the signing person's)", helpName: "ID");

    public static readonly Option<string> BrokerName = Opt.Text("--broker-name", "With --personal: the broker's name (default: the signing person's)", helpName: "NAME");

    public static readonly Option<string> Firm = Opt.Text("--firm",
        "With --personal: UBN of the firm the broker works for (default: the signing organization)", helpName: "UBN");

    public static Symbol[] NewOptions => [Email, Personal, BrokerId, BrokerName, Firm];

    public static Command Create() => Actions.Group("apply", "Files an online application, signed with the applicant's certificate",
        New(), WithSerial(ServiceType.Renew, "renew", "Renews a certificate (within the renewal window); then pay, make a key, submit the CSR"),
        WithSerial(ServiceType.Suspend, "suspend", "Suspends an active certificate"),
        WithSerial(ServiceType.Unsuspend, "unsuspend", "Lifts the suspension of a certificate"),
        WithSerial(ServiceType.Revoke, "revoke", "Revokes a certificate for good"));

    private static Command New() =>
        new Command("new", "Applies for a new certificate; the answer carries the payment slip")
            .With([.. NewOptions, .. ApplicantOptions.Signer])
            .Runs(async (context, ct) =>
            {
                var client = ApplicantOptions.Client(context);
                return Show(context, await client.SubmitApplicationAsync(NewContent(context), ct: ct));
            });

    private static Command WithSerial(ServiceType service, string name, string description)
    {
        var serial = new Argument<string>("SERIAL") { Description = "The certificate's serial, hex" };
        var reason = Opt.Enum<RevocationReason>("--reason", "Why it is revoked", defaultValue: RevocationReason.UnspecifiedReason);
        var command = new Command(name, description).With([serial, Email, .. ApplicantOptions.Signer]);
        if (service == ServiceType.Revoke)
            command.With(reason);
        return command.Runs(async (context, ct) =>
        {
            var client = ApplicantOptions.Client(context);
            var content = await ContentForAsync(context, client, service, context.Parse.GetValue(serial)!, ct);
            if (service == ServiceType.Revoke)
                content.RevocationReason = context.Parse.GetValue(reason);
            return Show(context, await client.SubmitApplicationAsync(content, ct: ct));
        });
    }

    /// <summary>The content of a NEW application from the options: the organization's, or --personal a broker's.</summary>
    public static ApplicationContent NewContent(CliContext context)
    {
        var p = context.Parse;
        var signer = ApplicantOptions.Applicant(context);
        var content = new ApplicationContent { ServiceType = ServiceType.New, NoticeEmail = NoticeEmail(context) };
        if (p.GetValue(Personal))
        {
            content.Kind = CertificateKind.Personal;
            content.Personal = new PersonalSubject
            {
                NationalId = p.GetValue(BrokerId) ?? signer.Person?.NationalId
                    ?? throw CliFailure.Usage("--personal needs --broker-id (an organization signs for its broker)"),
                Name = p.GetValue(BrokerName) ?? signer.Person?.Name ?? throw CliFailure.Usage("--personal needs --broker-name"),
                FirmUbn = p.GetValue(Firm) ?? signer.Organization?.Ubn
                    ?? throw CliFailure.Usage("--personal needs --firm UBN (the firm the broker works for)"),
            };
        }
        else
        {
            if (signer.Organization is not { } organization)
                throw CliFailure.Usage("a person applies for a personal certificate: add --personal --firm UBN");
            content.Kind = CertificateKind.Organization;
            content.Organization = new OrganizationSubject { Ubn = organization.Ubn, Name = organization.Name };
        }
        return content;
    }

    /// <summary>
    /// An application about an existing certificate repeats its kind and holder: read from the certificate itself
    /// (DownloadCertificate by serial), so the person types only the serial.
    /// </summary>
    public static async Task<ApplicationContent> ContentForAsync(
        CliContext context, ApplicantClient client, ServiceType service, string serial, CancellationToken ct)
    {
        var certificate = (await client.DownloadBySerialAsync(serial, ct)).Certificate;
        var content = new ApplicationContent
        {
            ServiceType = service, Kind = certificate.Kind, NoticeEmail = NoticeEmail(context), CertificateSerialHex = certificate.SerialHex,
        };
        if (certificate.Kind == CertificateKind.Personal)
            content.Personal = new PersonalSubject
            {
                NationalId = certificate.Holder.Person.NationalId, Name = certificate.Holder.Person.Name, FirmUbn = certificate.FirmUbn,
            };
        else
            content.Organization = new OrganizationSubject { Ubn = certificate.Holder.Organization.Ubn, Name = certificate.Holder.Organization.Name };
        return content;
    }

    private static string NoticeEmail(CliContext context) =>
        context.Parse.GetValue(Email) ?? context.Profile.Identities.GetValueOrDefault(CallerRole.Applicant.Key())?.Email
        ?? throw CliFailure.Usage("no notice address: pass --email ADDRESS or set identities.applicant.email in the profile");

    /// <summary>
    /// The application, and for people what comes next. An application the RA took in and rejected at once (its
    /// eligibility) is an answer, not a refusal of the call: exit 5, the negative outcome, with the reasons shown.
    /// </summary>
    private static int Show(CliContext context, Application application)
    {
        context.Printer.Record(application);
        context.Printer.Note(NextStep.For(application));
        return application.State == ApplicationState.Rejected ? ExitCodes.NotValid : ExitCodes.Ok;
    }
}
