using Microsoft.Extensions.Options;

namespace RaServer.Hosting;

/// <summary>Stops the process at start on a configuration the embedded CA cannot run safely with.</summary>
internal sealed class EmbeddedCaOptionsValidator(IHostEnvironment environment) : IValidateOptions<EmbeddedCaOptions>
{
    public ValidateOptionsResult Validate(string? name, EmbeddedCaOptions options)
    {
        var problems = new List<string>();
        if (string.IsNullOrEmpty(options.KeyPassphrase) && !environment.IsDevelopment())
            problems.Add("EmbeddedCa:KeyPassphrase is required outside Development: it seals the CA's private keys.");
        if (options.HttpPort is < 0 or > 65535)
            problems.Add("EmbeddedCa:HttpPort must be 0-65535.");
        if (!System.Net.IPAddress.TryParse(options.ListenAddress, out _))
            problems.Add("EmbeddedCa:ListenAddress must be an IP address.");
        if (options.PublicBaseUrl is not null && !Uri.TryCreate(options.PublicBaseUrl, UriKind.Absolute, out _))
            problems.Add("EmbeddedCa:PublicBaseUrl must be an absolute URL.");
        if (options.CrlValidity <= TimeSpan.Zero || options.CrlRefreshInterval <= TimeSpan.Zero || options.CrlRefreshInterval >= options.CrlValidity)
            problems.Add("EmbeddedCa:CrlRefreshInterval must be positive and shorter than CrlValidity, so a fresh CRL is always served.");
        if (options.CrlCheckInterval <= TimeSpan.Zero)
            problems.Add("EmbeddedCa:CrlCheckInterval must be positive.");
        if (options.CmpValidityYears < 1 || options.CmpValidityYears > options.MaxValidityYears)
            problems.Add("EmbeddedCa:CmpValidityYears must be between 1 and MaxValidityYears.");
        problems.AddRange(options.CmpTrustedClientCertificates.Where(p => !File.Exists(p)).Select(p => $"EmbeddedCa:CmpTrustedClientCertificates: '{p}' does not exist."));
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
