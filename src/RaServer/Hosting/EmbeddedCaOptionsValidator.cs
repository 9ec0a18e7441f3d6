using EmbeddedCa;
using Microsoft.Extensions.Options;
using RaServer.Domain;

namespace RaServer.Hosting;

/// <summary>Stops the process at start on a configuration the embedded CA cannot run safely with.</summary>
internal sealed class EmbeddedCaOptionsValidator(IHostEnvironment environment) : IValidateOptions<EmbeddedCaOptions>
{
    public ValidateOptionsResult Validate(string? name, EmbeddedCaOptions options)
    {
        var problems = new OptionsProblems(EmbeddedCaOptions.Section);
        problems.Defined(options.KeySource, nameof(options.KeySource));
        // Outside development the passphrase seals the CA's private keys; without it they would be stored readable.
        if (options.KeySource == CaKeySourceKind.Sealed && !environment.IsDevelopment())
            problems.Required(options.KeyPassphrase, nameof(options.KeyPassphrase));
        if (options.KeySource == CaKeySourceKind.Pkcs11)
            CheckToken(options.Pkcs11, problems);
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

    private static void CheckToken(EmbeddedCaPkcs11Options token, OptionsProblems problems)
    {
        const string Part = nameof(EmbeddedCaOptions.Pkcs11) + ":";
        problems.ExistingFile(token.Library, Part + nameof(token.Library));
        problems.Required(token.TokenLabel, Part + nameof(token.TokenLabel));
        // One source of the PIN, so nobody wonders which one the server used.
        if (token.PinFile.Length > 0 && token.Pin.Length > 0)
            problems.Add(Part + nameof(token.Pin), $"and {problems.Key(Part + nameof(token.PinFile))} are both set; set one.");
        else if (token.PinFile.Length > 0)
            problems.ExistingFile(token.PinFile, Part + nameof(token.PinFile));
        else if (token.Pin.Length == 0)
            problems.Add(Part + nameof(token.PinFile), $"or {problems.Key(Part + nameof(token.Pin))} (from the environment, EmbeddedCa__Pkcs11__Pin) is required to log in to the token.");
        string[] labels = [token.RootKeyLabel, token.IssuingKeyLabel, token.CmpSignerKeyLabel];
        problems.Required(token.RootKeyLabel, Part + nameof(token.RootKeyLabel));
        problems.Required(token.IssuingKeyLabel, Part + nameof(token.IssuingKeyLabel));
        problems.Required(token.CmpSignerKeyLabel, Part + nameof(token.CmpSignerKeyLabel));
        // Two roles on one label would make one key do both jobs.
        problems.Check(labels.Distinct(StringComparer.Ordinal).Count() == labels.Length, Part + nameof(token.IssuingKeyLabel),
            "and the other key labels must differ: each CA key has its own.");
        problems.Between(token.Sessions, 1, 64, Part + nameof(token.Sessions));
    }
}
