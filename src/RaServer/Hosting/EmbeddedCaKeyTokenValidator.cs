using CaConnector;
using EmbeddedCa;
using Microsoft.Extensions.Options;

namespace RaServer.Hosting;

/// <summary>
/// With EmbeddedCa:KeySource Pkcs11, opens the token when the server starts (module, token label, PIN), so a missing
/// token or a refused PIN stops the start in one sentence naming the key, like any setting that cannot work, instead
/// of failing the first certificate. The token opened here is the one the CA then signs with.
/// </summary>
internal sealed class EmbeddedCaKeyTokenValidator(EmbeddedCaKeyToken token) : IValidateOptions<EmbeddedCaOptions>
{
    public ValidateOptionsResult Validate(string? name, EmbeddedCaOptions options)
    {
        // A token that is not configured completely is EmbeddedCaOptionsValidator's to report.
        var pkcs11 = options.Pkcs11;
        if (options.KeySource != CaKeySourceKind.Pkcs11 || !File.Exists(pkcs11.Library) || pkcs11.TokenLabel.Length == 0
            || (pkcs11.Pin.Length > 0) == (pkcs11.PinFile.Length > 0) || (pkcs11.PinFile.Length > 0 && !File.Exists(pkcs11.PinFile)))
            return ValidateOptionsResult.Skip;
        try
        {
            token.Open(pkcs11);
            return ValidateOptionsResult.Success;
        }
        catch (CaUnavailableException e)
        {
            return ValidateOptionsResult.Fail($"{EmbeddedCaOptions.Section}:{nameof(EmbeddedCaOptions.Pkcs11)} cannot open the CA's key token: {e.Message}");
        }
    }
}
