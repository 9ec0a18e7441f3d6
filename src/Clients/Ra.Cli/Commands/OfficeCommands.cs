using System.CommandLine;
using Customs.Ra.V1;
using Ra.Cli.Failures;
using Ra.Cli.Output;
using Ra.Cli.Settings;

namespace Ra.Cli.Commands;

/// <summary>`ra office ...`: a customs office clerk (mTLS role officer): paper applications and broker staff changes.</summary>
public static class OfficeCommands
{
    private static readonly Option<string> Clerk = Opt.Text("--clerk", "Clerk id for the audit log (default: the profile's \"clerkId\")", helpName: "ID");

    public static Command Create() => Actions.Group("office", "A customs office clerk: paper applications, slips, mandates (role officer)",
        Intake(), Reject(), PrintSlip(), List(), RecordMandate(), EndMandate(), Disqualify());

    private static string ClerkOf(CliContext context) => context.Parse.GetValue(Clerk) ?? context.ClerkId ?? "";

    private static Command Intake()
    {
        var ubn = Opt.Text("--ubn", "UBN of the firm on the form (the applicant)", required: true, helpName: "UBN");
        var name = Opt.Text("--name", "The firm's registered name", required: true);
        var service = Opt.Enum<ServiceType>("--service", "What the form asks for", required: true);
        var kind = Opt.Enum<CertificateKind>("--kind", "Certificate kind", required: true);
        var email = Opt.Text("--email", "Address for the RA's notices", required: true, helpName: "ADDRESS");
        var brokerId = Opt.Text("--broker-id", "For --kind personal: the broker staff member's national ID", helpName: "ID");
        var brokerName = Opt.Text("--broker-name", "For --kind personal: the broker staff member's name");
        var serial = Opt.Text("--serial", "The existing certificate's serial, hex (renew, revoke, suspend, unsuspend)", helpName: "HEX");
        var revocation = Opt.Enum<RevocationReason>("--revocation-reason", "Why, for revoke");
        var seals = new Option<bool>("--seals-checked") { Description = "The company seals on the form were checked (required by the RA)" };
        var office = Opt.Text("--office", "Receiving office code (default: the profile's \"officeCode\")", helpName: "CODE");
        var requestId = Opt.Text("--request-id", "Idempotency key; the same id with the same form replays the answer (default: a new UUID)", helpName: "UUID");
        return new Command("intake", "Enters a paper application whose company seals were checked")
            .With(ubn, name, service, kind, email, brokerId, brokerName, serial, revocation, seals, office, requestId, Clerk)
            .Runs(async (context, cancellation) =>
            {
                var p = context.Parse;
                var content = new ApplicationContent
                {
                    ServiceType = p.GetValue(service), Kind = p.GetValue(kind), NoticeEmail = p.GetValue(email)!,
                    CertificateSerialHex = p.GetValue(serial) ?? "", RevocationReason = p.GetValue(revocation),
                };
                if (content.Kind == CertificateKind.Personal)
                    content.Personal = new PersonalSubject
                    {
                        NationalId = p.GetValue(brokerId) ?? throw CliFailure.Usage("--kind personal needs --broker-id and --broker-name"),
                        Name = p.GetValue(brokerName) ?? throw CliFailure.Usage("--kind personal needs --broker-id and --broker-name"),
                        FirmUbn = p.GetValue(ubn)!,
                    };
                else
                    content.Organization = new OrganizationSubject { Ubn = p.GetValue(ubn)!, Name = p.GetValue(name)! };
                var request = new IntakePaperApplicationRequest
                {
                    RequestId = p.GetValue(requestId) ?? Guid.NewGuid().ToString("D"),
                    ReceivingOfficeCode = p.GetValue(office) ?? context.OfficeCode ?? "",
                    ClerkId = ClerkOf(context),
                    SealsChecked = p.GetValue(seals),
                    Applicant = new Applicant { Organization = new OrganizationIdentity { Ubn = p.GetValue(ubn)!, Name = p.GetValue(name)! } },
                    Content = content,
                };
                var client = new CustomsOffice.CustomsOfficeClient(context.Channel(CallerRole.Officer));
                context.Printer.Record(await client.IntakePaperApplicationAsync(request, context.Call(cancellation)));
                return ExitCodes.Ok;
            });
    }

    private static Command Reject()
    {
        var id = new Argument<string>("APPLICATION_ID") { Description = "The paper application to reject" };
        var reasons = new Option<string[]>("--reason")
        {
            Description = "CODE:TEXT, the reason's code and the text passed on to the applicant; repeat for several",
            Required = true, HelpName = "CODE:TEXT", Arity = ArgumentArity.OneOrMore,
        };
        return new Command("reject", "Rejects a paper application still RECEIVED or AWAITING_PAYMENT; the applicant is e-mailed")
            .With(id, reasons, Clerk)
            .Runs(async (context, cancellation) =>
            {
                var request = new RejectApplicationRequest { ApplicationId = context.Parse.GetValue(id)!, ClerkId = ClerkOf(context) };
                foreach (var reason in context.Parse.GetValue(reasons)!)
                {
                    var colon = reason.IndexOf(':', StringComparison.Ordinal);
                    if (colon <= 0)
                        throw CliFailure.Usage($"--reason '{reason}' is not CODE:TEXT");
                    request.Reasons.Add(new RejectionReason { Code = reason[..colon].Trim(), Text = reason[(colon + 1)..].Trim() });
                }
                var client = new CustomsOffice.CustomsOfficeClient(context.Channel(CallerRole.Officer));
                context.Printer.Record(await client.RejectApplicationAsync(request, context.Call(cancellation)));
                return ExitCodes.Ok;
            });
    }

    private static Command PrintSlip()
    {
        var id = new Argument<string>("APPLICATION_ID") { Description = "The application whose slip to print" };
        var pdf = Opt.Text("--pdf", "Also write the printable A4 slip (PDF) to this file", helpName: "FILE");
        return new Command("print-slip", "Shows the payment slip of an application of this office; --pdf writes it to print for the applicant")
            .With(id, pdf)
            .Runs(async (context, cancellation) =>
            {
                var client = new CustomsOffice.CustomsOfficeClient(context.Channel(CallerRole.Officer));
                var file = context.Parse.GetValue(pdf);
                var answer = await client.PrintPaymentSlipAsync(new PrintPaymentSlipRequest
                {
                    ApplicationId = context.Parse.GetValue(id)!, Format = file is null ? SlipFormat.Unspecified : SlipFormat.Pdf,
                }, context.Call(cancellation));
                if (file is not null)
                    await File.WriteAllBytesAsync(file, answer.Pdf.ToByteArray(), cancellation);
                context.Printer.Record(answer);
                if (file is not null)
                    context.Printer.Note($"pdf: {Path.GetFullPath(file)}");
                return ExitCodes.Ok;
            });
    }

    private static Command List()
    {
        var state = Opt.Enum<ApplicationState>("--state", "Only applications in this state");
        var channel = Opt.Enum<ApplicationChannel>("--channel", "Only applications that came this way");
        var pageSize = new Option<int>("--page-size") { Description = "At most this many (the RA caps it at 500; 0: 50)", HelpName = "N" };
        var pageToken = Opt.Text("--page-token", "The next page, as printed after the previous one", helpName: "TOKEN");
        return new Command("list", "Lists the applications this office handled, newest first")
            .With(state, channel, pageSize, pageToken)
            .Runs(async (context, cancellation) =>
            {
                var client = new CustomsOffice.CustomsOfficeClient(context.Channel(CallerRole.Officer));
                var answer = await client.ListOfficeApplicationsAsync(new ListOfficeApplicationsRequest
                {
                    State = context.Parse.GetValue(state), Channel = context.Parse.GetValue(channel),
                    PageSize = context.Parse.GetValue(pageSize), PageToken = context.Parse.GetValue(pageToken) ?? "",
                }, context.Call(cancellation));
                context.Printer.Table(answer, answer.Applications,
                    ("APPLICATION", a => a.ApplicationId),
                    ("STATE", a => Printer.Enum(a.State)),
                    ("CHANNEL", a => Printer.Enum(a.Channel)),
                    ("SERVICE", a => Printer.Enum(a.Content?.ServiceType ?? ServiceType.Unspecified)),
                    ("KIND", a => Printer.Enum(a.Content?.Kind ?? CertificateKind.Unspecified)),
                    ("APPLICANT", a => a.Applicant?.Organization?.Ubn ?? a.Applicant?.Person?.NationalId ?? ""),
                    ("CREATED", a => Printer.Time(a.CreatedAt)));
                if (answer.NextPageToken.Length > 0)
                    context.Printer.Note($"more: --page-token {answer.NextPageToken}");
                return ExitCodes.Ok;
            });
    }

    private static Command RecordMandate()
    {
        var id = new Argument<string>("NATIONAL_ID") { Description = "The broker staff member" };
        var firm = new Argument<string>("FIRM_UBN") { Description = "The firm that hired them" };
        var start = Opt.Date("--start", "First day of the mandate", required: true);
        var end = Opt.Date("--end", "Last day (normally left open)");
        return new Command("mandate", "Records that a broker staff member was hired by a firm (a new mandate)")
            .With(id, firm, start, end, Clerk)
            .Runs(async (context, cancellation) =>
            {
                var client = new CustomsOffice.CustomsOfficeClient(context.Channel(CallerRole.Officer));
                context.Printer.Record(await client.RecordMandateAsync(new RecordMandateRequest
                {
                    Mandate = new Mandate
                    {
                        NationalId = context.Parse.GetValue(id)!, FirmUbn = context.Parse.GetValue(firm)!,
                        StartDate = context.Parse.GetValue(start)!, EndDate = context.Parse.GetValue(end) ?? "",
                    },
                    ClerkId = ClerkOf(context),
                }, context.Call(cancellation)));
                return ExitCodes.Ok;
            });
    }

    private static Command EndMandate()
    {
        var id = new Argument<string>("NATIONAL_ID") { Description = "The broker staff member" };
        var firm = new Argument<string>("FIRM_UBN") { Description = "The firm they leave" };
        var end = Opt.Date("--end", "Last day of the mandate", required: true);
        return new Command("end-mandate", "Ends a mandate (resignation, or the old side of a transfer)")
            .With(id, firm, end, Clerk)
            .Runs(async (context, cancellation) =>
            {
                var client = new CustomsOffice.CustomsOfficeClient(context.Channel(CallerRole.Officer));
                context.Printer.Record(await client.EndMandateAsync(new EndMandateRequest
                {
                    NationalId = context.Parse.GetValue(id)!, FirmUbn = context.Parse.GetValue(firm)!,
                    EndDate = context.Parse.GetValue(end)!, ClerkId = ClerkOf(context),
                }, context.Call(cancellation)));
                return ExitCodes.Ok;
            });
    }

    private static Command Disqualify()
    {
        var id = new Argument<string>("NATIONAL_ID") { Description = "The broker staff member" };
        var effective = Opt.Date("--effective", "Date the qualification was lost", required: true);
        var reason = Opt.Text("--reason", "Why, for the audit log", required: true, helpName: "TEXT");
        return new Command("disqualify", "Records that a broker staff member lost qualification; their signatures then verify as HOLDER_NOT_QUALIFIED")
            .With(id, effective, reason, Clerk)
            .Runs(async (context, cancellation) =>
            {
                var client = new CustomsOffice.CustomsOfficeClient(context.Channel(CallerRole.Officer));
                context.Printer.Record(await client.DisqualifyBrokerAsync(new DisqualifyBrokerRequest
                {
                    NationalId = context.Parse.GetValue(id)!, EffectiveDate = context.Parse.GetValue(effective)!,
                    Reason = context.Parse.GetValue(reason)!, ClerkId = ClerkOf(context),
                }, context.Call(cancellation)));
                return ExitCodes.Ok;
            });
    }
}
