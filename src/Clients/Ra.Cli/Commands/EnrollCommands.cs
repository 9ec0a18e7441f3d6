using System.CommandLine;
using Customs.Ra.V1;
using Ra.Cli.Failures;
using Ra.Cli.Output;
using Ra.Cli.Settings;
using Ra.Client.Calls;
using Ra.Client.Files;

namespace Ra.Cli.Commands;

/// <summary>
/// `ra enroll` and `ra renew`: the whole way from an application to an installed certificate in one command: apply,
/// the slip and what to do with it, (with --wait) the payment, key and CSR, the CA, download, backup, registration
/// and the plug-in file. Without --wait an unpaid application stops after the slip with the command that resumes it.
/// </summary>
public static class EnrollCommands
{
    private static readonly Option<bool> Wait = new("--wait")
    {
        Description = "Wait for the payment (watching the application) and carry on the moment it is confirmed",
    };

    private static readonly Option<string> Resume = Opt.Text("--resume", "Carry on with this application instead of filing a new one", helpName: "APPLICATION_ID");

    private static readonly Option<string> BackupFile = Opt.Text("--backup",
        "Where to write the PKCS#12 backup (default: FOLDER-SERIAL.p12 next to the folder)", helpName: "FILE.p12");

    private static readonly Option<bool> CreatePlugin = new("--create-plugin-file") { Description = "Create the plug-in file if it does not exist" };

    public static Command Enroll()
    {
        var dir = ApplicantOptions.Dir();
        var plugin = ApplicantOptions.PluginFile(required: false);
        var keyType = CertificateSteps.KeyTypeOption();
        return new Command("enroll", "A new certificate in one step: apply, pay (--wait), key, CSR, download, backup, register, install")
            .With([dir, plugin, CreatePlugin, Wait, Resume, keyType, BackupFile, ApplicantOptions.KeyPasswordFile,
                .. ApplyCommands.NewOptions, .. ApplicantOptions.Signer])
            .Runs(async (context, ct) =>
            {
                var plan = Plan.From(context, dir, plugin, keyType);
                var client = ApplicantOptions.Client(context);
                var application = context.Parse.GetValue(Resume) is { } id
                    ? await client.GetApplicationAsync(id, ct)
                    : await client.SubmitApplicationAsync(ApplyCommands.NewContent(context), ct: ct);
                return await CarryOnAsync(context, client, application, plan,
                    $"ra enroll --resume {application.ApplicationId} {plan.Arguments}", ct);
            });
    }

    public static Command Renew()
    {
        var serial = new Argument<string>("SERIAL") { Description = "The certificate to renew, hex" };
        var dir = ApplicantOptions.Dir();
        var plugin = ApplicantOptions.PluginFile(required: false);
        var keyType = CertificateSteps.KeyTypeOption();
        return new Command("renew",
                "Renews a certificate into a folder: the same one (the plug-in file stays as it is) or another (--plugin-file is pointed at it)")
            .With([serial, dir, plugin, CreatePlugin, Wait, Resume, keyType, BackupFile, ApplicantOptions.KeyPasswordFile, ApplyCommands.Email,
                .. ApplicantOptions.Signer])
            .Runs(async (context, ct) =>
            {
                var plan = Plan.From(context, dir, plugin, keyType);
                var client = ApplicantOptions.Client(context);
                var renewed = context.Parse.GetValue(serial)!;
                var application = context.Parse.GetValue(Resume) is { } id
                    ? await client.GetApplicationAsync(id, ct)
                    : await client.SubmitApplicationAsync(await ApplyCommands.ContentForAsync(context, client, ServiceType.Renew, renewed, ct), ct: ct);
                return await CarryOnAsync(context, client, application, plan,
                    $"ra renew {renewed} --resume {application.ApplicationId} {plan.Arguments}", ct);
            });
    }

    /// <summary>Where the certificate goes and how, read from the options before any call so a mistake costs nothing.</summary>
    private sealed record Plan(CertificateFolder Folder, string? PluginFile, bool CreatePluginFile, Ra.Client.Keys.KeyType KeyType,
        string? BackupFile, bool Wait, Lazy<string> KeyPassword)
    {
        /// <summary>The options that say where, repeated in the resume command.</summary>
        public string Arguments => $"--dir {Folder.Path}" + (PluginFile is null ? "" : $" --plugin-file {PluginFile}") + " --wait";

        public static Plan From(CliContext context, Option<string> dir, Option<string> plugin, Option<Ra.Client.Keys.KeyType> keyType)
        {
            var p = context.Parse;
            var folder = ApplicantOptions.Folder(context, dir);
            var pluginFile = p.GetValue(plugin) is { } file ? Path.GetFullPath(file) : null;
            var create = p.GetValue(CreatePlugin);
            if (pluginFile is not null && !create && !File.Exists(pluginFile))
                throw CliFailure.Local($"the plug-in configuration file {pluginFile} does not exist (--create-plugin-file makes one)");
            return new Plan(folder, pluginFile, create, p.GetValue(keyType), p.GetValue(EnrollCommands.BackupFile), p.GetValue(EnrollCommands.Wait),
                new Lazy<string>(() => ApplicantOptions.KeyPassword(context, $"the key in {folder.Path}")));
        }
    }

    private static async Task<int> CarryOnAsync(
        CliContext context, ApplicantClient client, Application application, Plan plan, string resume, CancellationToken ct)
    {
        var printer = context.Printer;
        var progress = new Progress(Console.Error);
        printer.Note($"application: {application.ApplicationId} ({Printer.Enum(application.State)})");
        if (application.State == ApplicationState.AwaitingPayment)
        {
            var slip = await client.GetPaymentSlipAsync(application.ApplicationId, ct: ct);
            foreach (var line in SlipLayout.Lines(slip.PaymentSlip, application))
                printer.Note(line);
            printer.Note("");
            printer.Note($"next: pay NT$ {slip.PaymentSlip.AmountNtd} with slip number {slip.PaymentSlip.SlipNumber} by "
                + $"{Printer.Time(slip.PaymentSlip.DueAt)} ('ra slip {application.ApplicationId} --pdf FILE' prints it).");
            if (!plan.Wait)
            {
                printer.Note($"when it is paid, carry on with: {resume}");
                if (printer.Json)
                    printer.Record(application);
                return ExitCodes.Ok;
            }
            _ = plan.KeyPassword.Value; // asked now, not after the wait
            printer.Note("waiting for the payment to be confirmed (Ctrl+C stops; the resume command above carries on later)");
            application = await CertificateSteps.WaitAsync(client, application, s => s != ApplicationState.AwaitingPayment, progress, ct);
        }
        if (application.State == ApplicationState.AwaitingKey)
        {
            var csr = CertificateSteps.MakeKey(plan.Folder, plan.KeyType, plan.KeyPassword.Value);
            printer.Note($"key: {plan.Folder.PendingKeyFile}");
            application = await client.SubmitCsrAsync(application.ApplicationId, csr, ct);
        }
        if (application.State is ApplicationState.Received or ApplicationState.Forwarded)
            application = await CertificateSteps.WaitAsync(client, application, s => s == ApplicationState.Completed, progress, ct);
        if (application.State != ApplicationState.Completed)
        {
            printer.Record(application);
            Console.Error.WriteLine($"ra: application {application.ApplicationId} is {Printer.Enum(application.State)}: {NextStep.For(application)}");
            return ExitCodes.NotValid;
        }

        var installed = await CertificateSteps.DownloadAsync(client, application.ApplicationId, plan.Folder, plan.KeyPassword.Value, ct);
        ApplicantCommands.Installed(context, installed);
        var serial = application.IssuedCertificateSerialHex;
        var backup = plan.BackupFile ?? $"{plan.Folder.Path.TrimEnd(Path.DirectorySeparatorChar)}-{serial}.p12";
        CertificateSteps.Backup(plan.Folder, plan.KeyPassword.Value, backup);
        printer.Note($"backup: {Path.GetFullPath(backup)} (keep it away from this machine)");
        var certificate = await client.RegisterAsync(serial, CertificateSteps.FirmOf(application.Content), ct);
        printer.Note($"registered for: {certificate.RegisteredFirmUbn}");
        if (plan.PluginFile is { } file)
            InstallCommands.PointPlugin(context, file, plan.Folder, plan.CreatePluginFile);
        if (printer.Json)
            printer.Record(certificate);
        return ExitCodes.Ok;
    }
}
