using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using Customs.Ra.V1;
using Ra.Cli.Failures;
using Ra.Cli.Output;
using Ra.Client.Calls;
using Ra.Client.Files;
using Ra.Client.Keys;

namespace Ra.Cli.Commands;

/// <summary>
/// The steps from a paid application to an installed certificate, each one a command of its own (key, submit-csr,
/// download, backup, register, install) and chained by `ra enroll` and `ra renew`.
/// </summary>
public static class CertificateSteps
{
    public static Option<KeyType> KeyTypeOption() => new("--key-type")
    {
        Description = "The key pair to make (ecdsa-p256, rsa-2048, rsa-3072)",
        HelpName = "TYPE",
        DefaultValueFactory = _ => KeyType.EcdsaP256,
        CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            if (ParseKeyType(text) is { } type)
                return type;
            result.AddError($"--key-type: '{text}' is not one of ecdsa-p256, rsa-2048, rsa-3072");
            return default;
        },
        CompletionSources = { "ecdsa-p256", "rsa-2048", "rsa-3072" },
    };

    private static KeyType? ParseKeyType(string text) => text.ToLowerInvariant() switch
    {
        "ecdsa-p256" or "p256" or "ec" => KeyType.EcdsaP256,
        "rsa-2048" or "rsa2048" => KeyType.Rsa2048,
        "rsa-3072" or "rsa3072" => KeyType.Rsa3072,
        _ => null,
    };

    /// <summary>
    /// Follows the application's events until <paramref name="stop"/> holds for its state, or it is final, and returns
    /// it as it then is. The RA's stream resumes after the last event seen, so nothing is missed between calls.
    /// </summary>
    public static async Task<Application> WaitAsync(
        ApplicantClient client, Application application, Func<ApplicationState, bool> stop, Progress progress, CancellationToken ct)
    {
        progress.Show(application.ApplicationId, application.State);
        if (stop(application.State) || NextStep.IsFinal(application.State))
        {
            progress.Done();
            return application;
        }
        await foreach (var change in client.WatchApplicationAsync(application.ApplicationId, application.LastEventSequence, ct))
        {
            progress.Show(application.ApplicationId, change.ToState, change.Detail);
            if (!stop(change.ToState) && !NextStep.IsFinal(change.ToState))
                continue;
            // The stream may still be replaying moves from before the answer we hold: only the application's own
            // state says whether the wait is over.
            application = await client.GetApplicationAsync(application.ApplicationId, ct);
            if (stop(application.State) || NextStep.IsFinal(application.State))
                break;
        }
        progress.Done();
        return await client.GetApplicationAsync(application.ApplicationId, ct);
    }

    /// <summary>A new key pair kept as the folder's pending key (encrypted), and its CSR; the running key stays until the certificate.</summary>
    public static byte[] MakeKey(CertificateFolder folder, KeyType type, string keyPassword)
    {
        Directory.CreateDirectory(folder.Path);
        using var key = ApplicantKey.Generate(type);
        return folder.PrepareRequest(key, keyPassword);
    }

    /// <summary>The CSR of the folder's pending key, as written by <see cref="MakeKey"/>.</summary>
    public static byte[] ReadCsr(CertificateFolder folder)
    {
        if (!File.Exists(folder.RequestFile) || !File.Exists(folder.PendingKeyFile))
            throw CliFailure.Local($"{folder.Path} has no pending key and CSR: run 'ra key --dir {folder.Path}' first");
        var pem = File.ReadAllText(folder.RequestFile);
        if (!System.Security.Cryptography.PemEncoding.TryFind(pem, out var fields) || pem[fields.Label] != "CERTIFICATE REQUEST")
            throw CliFailure.Local($"{folder.RequestFile} is not a PEM certificate request");
        return Convert.FromBase64String(pem[fields.Base64Data]);
    }

    /// <summary>Downloads the application's certificate into the folder with its key (and key store) under the key password.</summary>
    public static async Task<InstalledCertificate> DownloadAsync(
        ApplicantClient client, string applicationId, CertificateFolder folder, string keyPassword, CancellationToken ct)
    {
        var download = await client.DownloadByApplicationAsync(applicationId, ct);
        Directory.CreateDirectory(folder.Path);
        return folder.Install(download.CertificateDer.ToByteArray(), download.ChainDer.Select(c => c.ToByteArray()).ToList(), keyPassword, keyPassword);
    }

    /// <summary>A PKCS#12 backup of the folder's certificate, key and chain, under the key password.</summary>
    public static void Backup(CertificateFolder folder, string keyPassword, string file)
    {
        if (!File.Exists(folder.CertificateDerFile))
            throw CliFailure.Local($"{folder.Path} holds no certificate: run 'ra download APPLICATION_ID --dir {folder.Path}' first");
        using var certificate = folder.LoadCertificate();
        using var key = folder.LoadKey(keyPassword);
        var chain = new X509Certificate2Collection();
        if (File.Exists(folder.ChainPemFile))
            chain.ImportFromPemFile(folder.ChainPemFile);
        try
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(file))!;
            Directory.CreateDirectory(directory);
            var bytes = Pkcs12Backup.Export(certificate, key, chain, keyPassword);
            // Readable by the owner alone from the start: it holds the private key.
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using var stream = new FileStream(file, options);
            stream.Write(bytes);
        }
        finally
        {
            foreach (var ca in chain)
                ca.Dispose();
        }
    }

    /// <summary>The firm a certificate is registered for by default: its organization, or the broker's firm.</summary>
    public static string FirmOf(ApplicationContent content) => content.Personal?.FirmUbn ?? content.Organization?.Ubn ?? "";
}
