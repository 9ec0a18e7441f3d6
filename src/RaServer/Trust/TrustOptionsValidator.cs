using Microsoft.Extensions.Options;

using RaServer.Domain;

namespace RaServer.Trust;

/// <summary>
/// Refuses trust settings the verifier cannot start with (no root, a file that is not there) or that would leave CRLs
/// unrefreshed, rather than accept nothing or everything.
/// </summary>
internal sealed class TrustOptionsValidator : IValidateOptions<TrustOptions>
{
    public ValidateOptionsResult Validate(string? name, TrustOptions options)
    {
        var problems = new OptionsProblems(TrustOptions.Section);
        problems.Check(options.TrustAnchorFiles.Count > 0, nameof(options.TrustAnchorFiles), "needs at least one root certificate file.");
        ExistingFiles(problems, options.TrustAnchorFiles, nameof(options.TrustAnchorFiles));
        ExistingFiles(problems, options.IntermediateFiles, nameof(options.IntermediateFiles));
        ExistingFiles(problems, options.CrlFiles, nameof(options.CrlFiles));
        problems.Duration(options.SigningTimeWindow, nameof(options.SigningTimeWindow));
        problems.Positive(options.SignerCacheSize, nameof(options.SignerCacheSize));
        problems.Duration(options.CrlRefreshInterval, nameof(options.CrlRefreshInterval));
        for (var i = 0; i < options.CrlUrls.Count; i++)
            problems.HttpUrl(options.CrlUrls[i], $"{nameof(options.CrlUrls)}:{i}");
        problems.Duration(options.CrlFetchTimeout, nameof(options.CrlFetchTimeout));
        problems.Positive(options.CrlMaxBytes, nameof(options.CrlMaxBytes));
        return problems.Result();
    }

    private static void ExistingFiles(OptionsProblems problems, List<string> files, string key)
    {
        for (var i = 0; i < files.Count; i++)
            problems.ExistingFile(files[i], $"{key}:{i}");
    }
}
