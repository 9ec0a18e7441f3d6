using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using RaServer.Domain;

namespace RaServer.Hosting;

/// <summary>Refuses an audit log that could not keep its refusals, seal its rows, or sign its checkpoints.</summary>
internal sealed class AuditOptionsValidator : IValidateOptions<AuditOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditOptions options)
    {
        var problems = new OptionsProblems(AuditOptions.Section);
        problems.Required(options.PendingFolder, nameof(options.PendingFolder));
        if (!string.IsNullOrWhiteSpace(options.PendingFolder))
            problems.Check(Writable(options.PendingFolderPath()), nameof(options.PendingFolder),
                $"must be a folder the server can write; '{options.PendingFolderPath()}' is not.");
        problems.Between(options.PendingQueueCapacity, 1, 1_000_000, nameof(options.PendingQueueCapacity));
        problems.Duration(options.PendingRetryFirst, nameof(options.PendingRetryFirst));
        problems.Duration(options.PendingRetryMax, nameof(options.PendingRetryMax));
        problems.Check(options.PendingRetryMax >= options.PendingRetryFirst, nameof(options.PendingRetryMax),
            $"must be at least Audit:PendingRetryFirst ({options.PendingRetryFirst}).");
        problems.Duration(options.SealInterval, nameof(options.SealInterval));
        problems.Between(options.SealBatchSize, 1, 100_000, nameof(options.SealBatchSize));
        problems.Positive(options.CheckpointEveryRows, nameof(options.CheckpointEveryRows));
        problems.Duration(options.CheckpointInterval, nameof(options.CheckpointInterval));
        if (SigningProblem(options) is { } signing)
            problems.Add(nameof(options.SigningCertificatePath), signing);
        for (var i = 0; i < options.FormerSigningCertificatePaths.Count; i++)
            problems.Check(File.Exists(options.FormerSigningCertificatePaths[i]), $"{nameof(options.FormerSigningCertificatePaths)}:{i}",
                $"must name a PEM certificate; '{options.FormerSigningCertificatePaths[i]}' does not exist.");
        return problems.Result();
    }

    private static string? SigningProblem(AuditOptions options)
    {
        if (!File.Exists(options.SigningCertificatePath) || !File.Exists(options.SigningKeyPath))
            return $"and Audit:SigningKeyPath must name the PEM certificate and key that sign audit checkpoints; '{options.SigningCertificatePath}' or '{options.SigningKeyPath}' does not exist (`ra-dev devpki` makes a development pair).";
        try
        {
            using var signer = X509Certificate2.CreateFromPemFile(options.SigningCertificatePath, options.SigningKeyPath);
            return signer.GetECDsaPrivateKey() is null && signer.GetRSAPrivateKey() is null
                ? "holds neither an ECDSA nor an RSA key." : null;
        }
        catch (CryptographicException e)
        {
            return $"and Audit:SigningKeyPath do not load as a certificate with its key: {e.Message}";
        }
    }

    private static bool Writable(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, $".probe-{Guid.NewGuid():N}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
