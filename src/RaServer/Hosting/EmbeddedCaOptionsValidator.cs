using Microsoft.Extensions.Options;
using RaServer.Domain;

namespace RaServer.Hosting;

/// <summary>Stops the process at start on a configuration the embedded CA cannot run safely with.</summary>
internal sealed class EmbeddedCaOptionsValidator(IHostEnvironment environment) : IValidateOptions<EmbeddedCaOptions>
{
    public ValidateOptionsResult Validate(string? name, EmbeddedCaOptions options)
    {
        var problems = new OptionsProblems(EmbeddedCaOptions.Section);
        // Outside development the passphrase seals the CA's private keys; without it they would be stored readable.
        if (!environment.IsDevelopment())
            problems.Required(options.KeyPassphrase, nameof(options.KeyPassphrase));
        problems.Between(options.HttpPort, 0, 65535, nameof(options.HttpPort));
        problems.Check(System.Net.IPAddress.TryParse(options.ListenAddress, out _), nameof(options.ListenAddress),
            $"must be an IP address, not '{options.ListenAddress}'.");
        if (options.PublicBaseUrl is not null)
            problems.HttpUrl(options.PublicBaseUrl, nameof(options.PublicBaseUrl));
        problems.Duration(options.CrlValidity, nameof(options.CrlValidity));
        problems.Duration(options.CrlRefreshInterval, nameof(options.CrlRefreshInterval));
        // A refresh no shorter than the validity would let the served CRL expire before the next one.
        problems.Check(options.CrlRefreshInterval < options.CrlValidity, nameof(options.CrlRefreshInterval),
            $"must be shorter than {problems.Key(nameof(options.CrlValidity))}, so a fresh CRL is always served.");
        problems.Duration(options.CrlCheckInterval, nameof(options.CrlCheckInterval));
        problems.Between(options.MaxValidityYears, 1, 100, nameof(options.MaxValidityYears));
        problems.Between(options.CmpValidityYears, 1, options.MaxValidityYears, nameof(options.CmpValidityYears));
        for (var i = 0; i < options.CmpTrustedClientCertificates.Count; i++)
            problems.ExistingFile(options.CmpTrustedClientCertificates[i], $"{nameof(options.CmpTrustedClientCertificates)}:{i}");
        return problems.Result();
    }
}
