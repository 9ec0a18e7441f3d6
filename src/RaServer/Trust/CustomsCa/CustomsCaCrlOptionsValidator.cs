using Microsoft.Extensions.Options;
using RaServer.Hosting;

using RaServer.Domain;

namespace RaServer.Trust;

/// <summary>Refuses a customs CA CRL source that could never be fetched or checked.</summary>
internal sealed class CustomsCaCrlOptionsValidator : IValidateOptions<CustomsCaCrlOptions>
{
    public ValidateOptionsResult Validate(string? name, CustomsCaCrlOptions options)
    {
        var problems = new OptionsProblems(CustomsCaCrlOptions.Section);
        // Empty means the embedded CA's own CRL and issuing certificate.
        if (options.CrlUrl.Length > 0)
            problems.HttpUrl(options.CrlUrl, nameof(options.CrlUrl));
        if (options.IssuerCertificatePath.Length > 0)
            problems.ExistingFile(options.IssuerCertificatePath, nameof(options.IssuerCertificatePath));
        problems.Duration(options.CrlRefreshInterval, nameof(options.CrlRefreshInterval));
        problems.Duration(options.CrlFetchTimeout, nameof(options.CrlFetchTimeout));
        problems.Positive(options.CrlMaxBytes, nameof(options.CrlMaxBytes));
        return problems.Result();
    }
}
