using System.CommandLine;
using Ra.Cli.Failures;
using Ra.Client.Files;

namespace Ra.Cli.Commands;

/// <summary>
/// `ra install` and `ra uninstall`: point the ready-to-use system's plug-in file at a certificate folder (restored
/// from a PKCS#12 backup when moving to another machine or firm), or clear it. Local only: no call to the RA.
/// </summary>
public static class InstallCommands
{
    public static Command Install()
    {
        var dir = ApplicantOptions.Dir();
        var plugin = ApplicantOptions.PluginFile(required: true);
        var fromBackup = Opt.Text("--from-backup", "First restore the folder from this PKCS#12 backup (its password: the key password)", helpName: "FILE.p12");
        var create = new Option<bool>("--create") { Description = "Create the plug-in file when it does not exist" };
        return new Command("install", "Points the plug-in file at the folder's cert.pem and keystore.p12; --from-backup restores the folder first")
            .With(dir, plugin, fromBackup, create, ApplicantOptions.KeyPasswordFile)
            .Runs((context, _) =>
            {
                var folder = ApplicantOptions.Folder(context, dir);
                if (context.Parse.GetValue(fromBackup) is { } backup)
                {
                    if (!File.Exists(backup))
                        throw CliFailure.Local($"backup file {backup} does not exist");
                    Directory.CreateDirectory(folder.Path);
                    var password = ApplicantOptions.KeyPassword(context, backup);
                    ApplicantCommands.Installed(context, folder.InstallFromBackup(File.ReadAllBytes(backup), password, password));
                }
                else if (!File.Exists(folder.CertificatePemFile) || !File.Exists(folder.KeyStoreFile))
                    throw CliFailure.Local($"{folder.Path} has no cert.pem and keystore.p12: download into it, or give --from-backup");
                PointPlugin(context, context.Parse.GetValue(plugin)!, folder, context.Parse.GetValue(create));
                return Task.FromResult(ExitCodes.Ok);
            });
    }

    public static Command Uninstall()
    {
        var plugin = ApplicantOptions.PluginFile(required: true);
        var delete = new Option<bool>("--delete-files") { Description = "Also delete the certificate folder's files (with --dir)" };
        var dir = ApplicantOptions.Dir(required: false);
        return new Command("uninstall", "Clears the plug-in file's certificate settings; --delete-files --dir also removes the folder's key and certificate files")
            .With(plugin, delete, dir)
            .Runs((context, _) =>
            {
                var file = context.Parse.GetValue(plugin)!;
                var deleteFiles = context.Parse.GetValue(delete);
                if (deleteFiles && context.Parse.GetValue(dir) is null)
                    throw CliFailure.Usage("--delete-files needs --dir FOLDER");
                var changed = PluginConfigFile.Clear(file);
                context.Printer.Note(changed ? $"plug-in file {file}: cleared (previous in {PluginConfigFile.BackupPathOf(file)})" : $"plug-in file {file}: nothing to clear");
                if (deleteFiles)
                {
                    var folder = ApplicantOptions.Folder(context, dir);
                    folder.Delete();
                    context.Printer.Note($"deleted the certificate files of {folder.Path}");
                }
                return Task.FromResult(ExitCodes.Ok);
            });
    }

    /// <summary>Points the plug-in file at the folder and says whether anything changed (a renewal in place changes nothing).</summary>
    public static void PointPlugin(Settings.CliContext context, string file, CertificateFolder folder, bool create)
    {
        var changed = PluginConfigFile.PointTo(file, folder, createIfMissing: create);
        context.Printer.Note(changed
            ? $"plug-in file {file}: now {folder.CertificatePemFile} (previous in {PluginConfigFile.BackupPathOf(file)})"
            : $"plug-in file {file}: unchanged, already {folder.CertificatePemFile}");
    }
}
