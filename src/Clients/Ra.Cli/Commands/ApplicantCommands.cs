using System.CommandLine;
using Customs.Ra.V1;
using Ra.Cli.Failures;
using Ra.Cli.Output;
using Ra.Cli.Settings;

namespace Ra.Cli.Commands;

/// <summary>
/// An operator or broker online, one step at a time: follow an application, its slip, the key and CSR, download,
/// backup, registration and the certificates (RegistrationAuthority, each request signed with the applicant's
/// certificate; the key and the files stay on this machine).
/// </summary>
public static class ApplicantCommands
{
    public static IEnumerable<Command> All() =>
        [Status(), Slip(), Key(), Csr(), SubmitCsr(), Download(), Backup(), Register(), Certificates()];

    private static Argument<string> ApplicationId() => new("APPLICATION_ID") { Description = "The application, as the RA numbered it" };

    private static Command Status()
    {
        var id = ApplicationId();
        var watch = new Option<bool>("--watch") { Description = "Follow it live until it is final (exit 0 COMPLETED, 5 REJECTED/CANCELLED/FAILED)" };
        return new Command("status", "Shows an application; with --watch, a live progress line until it is final")
            .With([id, watch, .. ApplicantOptions.Signer])
            .Runs(async (context, ct) =>
            {
                var client = ApplicantOptions.Client(context);
                var application = await client.GetApplicationAsync(context.Parse.GetValue(id)!, ct);
                if (!context.Parse.GetValue(watch))
                {
                    context.Printer.Record(application);
                    context.Printer.Note(NextStep.For(application));
                    return ExitCodes.Ok;
                }
                application = await CertificateSteps.WaitAsync(client, application, _ => false, new Progress(Console.Error), ct);
                context.Printer.Record(application);
                context.Printer.Note(NextStep.For(application));
                return application.State == ApplicationState.Completed ? ExitCodes.Ok : ExitCodes.NotValid;
            });
    }

    private static Command Slip()
    {
        var id = ApplicationId();
        var pdf = Opt.Text("--pdf", "Also write the printable A4 slip to this file", helpName: "FILE");
        return new Command("slip", "Shows the payment slip laid out as printed; --pdf writes the RA's printable PDF")
            .With([id, pdf, .. ApplicantOptions.Signer])
            .Runs(async (context, ct) =>
            {
                var client = ApplicantOptions.Client(context);
                var applicationId = context.Parse.GetValue(id)!;
                var file = context.Parse.GetValue(pdf);
                var answer = await client.GetPaymentSlipAsync(applicationId, pdf: file is not null, ct);
                if (file is not null)
                    await File.WriteAllBytesAsync(file, answer.Pdf.ToByteArray(), ct);
                if (context.Printer.Json)
                {
                    context.Printer.Record(answer);
                    return ExitCodes.Ok;
                }
                var application = await client.GetApplicationAsync(applicationId, ct);
                foreach (var line in SlipLayout.Lines(answer.PaymentSlip, application))
                    context.Printer.Note(line);
                if (file is not null)
                    context.Printer.Note($"\nPDF: {Path.GetFullPath(file)}");
                return ExitCodes.Ok;
            });
    }

    private static Command Key()
    {
        var dir = ApplicantOptions.Dir();
        var type = CertificateSteps.KeyTypeOption();
        return new Command("key", "Makes a new key pair in the folder (key.pending.pem, encrypted) and its CSR (request.csr)")
            .With(dir, type, ApplicantOptions.KeyPasswordFile)
            .Runs((context, _) =>
            {
                var folder = ApplicantOptions.Folder(context, dir);
                var password = ApplicantOptions.KeyPassword(context, $"the key in {folder.Path}");
                CertificateSteps.MakeKey(folder, context.Parse.GetValue(type), password);
                context.Printer.Note($"key: {folder.PendingKeyFile}\ncsr: {folder.RequestFile}");
                return Task.FromResult(ExitCodes.Ok);
            });
    }

    private static Command Csr()
    {
        var dir = ApplicantOptions.Dir();
        return new Command("csr", "Writes the CSR of the folder's pending key again (request.csr) and prints it (PEM)")
            .With(dir, ApplicantOptions.KeyPasswordFile)
            .Runs((context, _) =>
            {
                var folder = ApplicantOptions.Folder(context, dir);
                if (!File.Exists(folder.PendingKeyFile))
                    throw CliFailure.Local($"{folder.Path} has no pending key: run 'ra key --dir {folder.Path}' first");
                var password = ApplicantOptions.KeyPassword(context, $"the key in {folder.Path}");
                using var key = Ra.Client.Keys.ApplicantKey.ImportPem(File.ReadAllText(folder.PendingKeyFile), password);
                folder.PrepareRequest(key, password);
                Console.Out.Write(File.ReadAllText(folder.RequestFile));
                return Task.FromResult(ExitCodes.Ok);
            });
    }

    private static Command SubmitCsr()
    {
        var id = ApplicationId();
        var dir = ApplicantOptions.Dir();
        return new Command("submit-csr", "Submits the folder's CSR for a paid application (AWAITING_KEY); the RA forwards it to the CA")
            .With([id, dir, .. ApplicantOptions.Signer])
            .Runs(async (context, ct) =>
            {
                var csr = CertificateSteps.ReadCsr(ApplicantOptions.Folder(context, dir));
                var application = await ApplicantOptions.Client(context).SubmitCsrAsync(context.Parse.GetValue(id)!, csr, ct);
                context.Printer.Record(application);
                context.Printer.Note(NextStep.For(application));
                return ExitCodes.Ok;
            });
    }

    private static Command Download()
    {
        var id = ApplicationId();
        var dir = ApplicantOptions.Dir();
        return new Command("download", "Downloads the issued certificate into the folder with its key: cert.pem, chain.pem, key.pem, keystore.p12")
            .With([id, dir, ApplicantOptions.KeyPasswordFile, .. ApplicantOptions.Signer])
            .Runs(async (context, ct) =>
            {
                var folder = ApplicantOptions.Folder(context, dir);
                var client = ApplicantOptions.Client(context);
                var password = ApplicantOptions.KeyPassword(context, $"the key in {folder.Path}");
                var installed = await CertificateSteps.DownloadAsync(client, context.Parse.GetValue(id)!, folder, password, ct);
                Installed(context, installed);
                return ExitCodes.Ok;
            });
    }

    private static Command Backup()
    {
        var dir = ApplicantOptions.Dir();
        var output = Opt.Text("--out", "The PKCS#12 file to write (keep it away from this machine)", required: true, helpName: "FILE.p12");
        return new Command("backup", "Writes a PKCS#12 backup of the folder's certificate, key and chain, under the key password")
            .With(dir, output, ApplicantOptions.KeyPasswordFile)
            .Runs((context, _) =>
            {
                var folder = ApplicantOptions.Folder(context, dir);
                CertificateSteps.Backup(folder, ApplicantOptions.KeyPassword(context, $"the key in {folder.Path}"), context.Parse.GetValue(output)!);
                context.Printer.Note($"backup: {Path.GetFullPath(context.Parse.GetValue(output)!)}");
                return Task.FromResult(ExitCodes.Ok);
            });
    }

    private static Command Register()
    {
        var serial = new Argument<string>("SERIAL") { Description = "The certificate's serial, hex" };
        var firm = Opt.Text("--firm", "UBN of the firm it is used for in Single Window messages", required: true, helpName: "UBN");
        return new Command("register", "Registers a certificate for Single Window messaging at a firm (by the firm, or by the broker himself)")
            .With([serial, firm, .. ApplicantOptions.Signer])
            .Runs(async (context, ct) =>
            {
                var certificate = await ApplicantOptions.Client(context).RegisterAsync(context.Parse.GetValue(serial)!, context.Parse.GetValue(firm)!, ct);
                context.Printer.Record(certificate);
                return ExitCodes.Ok;
            });
    }

    private static Command Certificates()
    {
        var state = Opt.Enum<CertificateState>("--state", "Only certificates in this state");
        return new Command("certs", "Lists the certificates that concern the applicant")
            .With([state, .. ApplicantOptions.Signer])
            .Runs(async (context, ct) =>
            {
                var answer = new ListCertificatesResponse();
                await foreach (var certificate in ApplicantOptions.Client(context).ListCertificatesAsync(context.Parse.GetValue(state), ct: ct))
                    answer.Certificates.Add(certificate);
                context.Printer.Table(answer, answer.Certificates,
                    ("SERIAL", c => c.SerialHex),
                    ("KIND", c => Printer.Enum(c.Kind)),
                    ("STATE", c => Printer.Enum(c.State)),
                    ("HOLDER", c => c.Holder?.Organization?.Name ?? c.Holder?.Person?.Name ?? ""),
                    ("FIRM", c => c.FirmUbn),
                    ("REGISTERED", c => c.Registered ? c.RegisteredFirmUbn : "-"),
                    ("NOT_AFTER", c => Printer.Time(c.NotAfter)));
                return ExitCodes.Ok;
            });
    }

    public static void Installed(CliContext context, Ra.Client.Files.InstalledCertificate installed)
    {
        context.Printer.Note($"serial: {installed.SerialHex.ToLowerInvariant()}");
        context.Printer.Note($"not after: {installed.NotAfter.ToOffset(TimeSpan.FromHours(8)):yyyy-MM-dd HH:mm:ss zzz}");
        context.Printer.Note($"certificate: {installed.CertificatePemFile}");
        context.Printer.Note($"key: {installed.KeyFile}");
        if (installed.KeyStoreFile is { } store)
            context.Printer.Note($"key store: {store}");
    }
}
