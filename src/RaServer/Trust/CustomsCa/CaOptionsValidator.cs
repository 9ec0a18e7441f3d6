using Microsoft.Extensions.Options;
using RaServer.Domain;

namespace RaServer.Trust;

/// <summary>
/// Refuses a CA the RA could not reach, trust or read statuses from. In Cmp mode that includes a missing CRL URL or
/// issuer certificate: the embedded CA's CRL says nothing of an external CA's certificates, so without them no status
/// verdict could ever be right.
/// </summary>
internal sealed class CaOptionsValidator : IValidateOptions<CaOptions>
{
    public ValidateOptionsResult Validate(string? name, CaOptions options)
    {
        var problems = new OptionsProblems(CaOptions.Section);
        problems.Defined(options.Mode, nameof(options.Mode));
        if (options.Mode == CaMode.Cmp)
        {
            AddWithin(problems, nameof(options.Cmp), options.Cmp.Problems());
            AddWithin(problems, nameof(options.Resilience), options.Resilience.Problems());
            problems.Check(options.CrlUrl.Length > 0, nameof(options.CrlUrl), "is required when Ca:Mode is Cmp.");
            problems.Check(options.IssuerCertificatePath.Length > 0, nameof(options.IssuerCertificatePath), "is required when Ca:Mode is Cmp.");
            ExistingFileIfSet(problems, options.Cmp.RaCertificatePath, $"{nameof(options.Cmp)}:{nameof(options.Cmp.RaCertificatePath)}");
            ExistingFileIfSet(problems, options.Cmp.RaKeyPath, $"{nameof(options.Cmp)}:{nameof(options.Cmp.RaKeyPath)}");
            ExistingFileIfSet(problems, options.Cmp.CaServerCertificatePath, $"{nameof(options.Cmp)}:{nameof(options.Cmp.CaServerCertificatePath)}");
        }
        // Embedded mode: empty means the embedded CA's own CRL and certificate.
        if (options.CrlUrl.Length > 0)
            problems.HttpUrl(options.CrlUrl, nameof(options.CrlUrl));
        ExistingFileIfSet(problems, options.IssuerCertificatePath, nameof(options.IssuerCertificatePath));
        problems.Duration(options.CrlRefreshInterval, nameof(options.CrlRefreshInterval));
        problems.Duration(options.CrlFetchTimeout, nameof(options.CrlFetchTimeout));
        problems.Positive(options.CrlMaxBytes, nameof(options.CrlMaxBytes));
        return problems.Result();
    }

    /// <summary>The connector's own checks, each of which starts with the setting it is about, under their subsection.</summary>
    private static void AddWithin(OptionsProblems problems, string subsection, IReadOnlyList<string> found)
    {
        foreach (var problem in found)
        {
            var space = problem.IndexOf(' ', StringComparison.Ordinal);
            problems.Add($"{subsection}:{problem[..space]}", problem[(space + 1)..]);
        }
    }

    private static void ExistingFileIfSet(OptionsProblems problems, string? path, string key)
    {
        if (!string.IsNullOrEmpty(path))
            problems.ExistingFile(path, key);
    }
}
