using System.CommandLine;
using Customs.Ra.V1;
using Ra.Cli.Failures;
using Ra.Cli.Settings;
using Ra.Client.Calls;
using Ra.Client.Files;

namespace Ra.Cli.Commands;

/// <summary>
/// What the applicant's commands share: who signs (the organization's UBN and name, or a person's national id and
/// name, from the options over identities.applicant in the profile), the client that signs with the applicant's
/// PKCS#12, the certificate folder, the plug-in file and the password of the key files.
/// </summary>
public static class ApplicantOptions
{
    public static readonly Option<string> Ubn = Opt.Text("--ubn",
        "UBN of the organization that signs (default: the profile's identities.applicant.ubn)", helpName: "UBN");

    public static readonly Option<string> NationalId = Opt.Text("--national-id",
        "National id of the person that signs, instead of a UBN (default: identities.applicant.nationalId)", helpName: "ID");

    public static readonly Option<string> Name = Opt.Text("--name",
        "The signer's registered name, as on its certificate (default: identities.applicant.name)", helpName: "NAME");

    public static readonly Option<string> KeyPasswordFile = Opt.Text("--key-password-file",
        $"A file whose first line protects key.pem, keystore.p12 and backups (else ${Passwords.KeyPasswordVariable}, or a prompt)", helpName: "FILE");

    public static Option<string> Dir(bool required = true) =>
        Opt.Text("--dir", "The certificate folder: key.pem, cert.pem, chain.pem, keystore.p12, ...", required, "FOLDER");

    public static Option<string> PluginFile(bool required) =>
        Opt.Text("--plugin-file", "The ready-to-use system's plug-in configuration file to point at the folder (docs/PLUGIN-FILE.md)", required, "FILE");

    /// <summary>The signer options every applicant command takes.</summary>
    public static Symbol[] Signer => [Ubn, NationalId, Name];

    /// <summary>Who signs, as each signed header names it.</summary>
    public static Applicant Applicant(CliContext context)
    {
        var p = context.Parse;
        var entry = context.Profile.Identities.GetValueOrDefault(CallerRole.Applicant.Key());
        var ubnOption = p.GetValue(Ubn);
        var idOption = p.GetValue(NationalId);
        if (ubnOption is not null && idOption is not null)
            throw CliFailure.Usage("give --ubn (an organization signs) or --national-id (a person signs), not both");
        // An option names the kind of signer; the profile's other kind is then not taken.
        var ubn = ubnOption ?? (idOption is null ? entry?.Ubn : null);
        var nationalId = idOption ?? (ubnOption is null && ubn is null ? entry?.NationalId : null);
        var name = p.GetValue(Name) ?? entry?.Name;
        if ((ubn is null && nationalId is null) || string.IsNullOrEmpty(name))
            throw CliFailure.Usage("no applicant: pass --ubn UBN --name NAME (or --national-id ID --name NAME), "
                + "or set identities.applicant.ubn and .name (or .nationalId and .name) in the profile");
        return ubn is not null ? ApplicantClient.Organization(ubn, name) : ApplicantClient.Person(nationalId!, name);
    }

    /// <summary>The client that signs each request with the applicant's PKCS#12 (--identity or the profile's).</summary>
    public static ApplicantClient Client(CliContext context)
    {
        var applicant = Applicant(context);
        var signing = context.Identity(CallerRole.Applicant);
        return new ApplicantClient(context.Connection(CallerRole.Applicant), signing, applicant);
    }

    public static CertificateFolder Folder(CliContext context, Option<string> dir) => new(context.Parse.GetValue(dir)!);

    /// <summary>The password of the key files (key.pem, keystore.p12, backups).</summary>
    public static string KeyPassword(CliContext context, string what) =>
        Passwords.ForKeys(context.Parse.GetValue(KeyPasswordFile), what);
}
