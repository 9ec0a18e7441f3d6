using Microsoft.Extensions.Options;

using RaServer.Domain;

namespace RaServer.Api;

/// <summary>
/// Refuses an allow-list the authorization interceptor cannot apply. Without the client CA bundle every call fails
/// (the interceptor runs on every service), an officer without an office is refused by every office call, and an
/// entry without its pins would either match nobody or, worse, be recognised by its name alone.
/// </summary>
internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    private static readonly string[] AllRoles = [Roles.Officer, Roles.Registry, Roles.Fees, Roles.Verifier];

    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var problems = new OptionsProblems(AuthOptions.Section);
        problems.ExistingFile(options.ClientCaBundlePath, nameof(options.ClientCaBundlePath));
        var pinned = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (clientName, client) in options.Clients)
        {
            problems.OneOf(client.Role, AllRoles, $"Clients:{clientName}:Role");
            if (client.Role == Roles.Officer)
                problems.Required(client.OfficeCode, $"Clients:{clientName}:OfficeCode");
            problems.Check(ClientPins.IsSpkiSha256(client.IssuerSpkiSha256), $"Clients:{clientName}:IssuerSpkiSha256",
                $"must be the 64 hex digits of the issuing CA's SPKI SHA-256, not '{client.IssuerSpkiSha256}'.");
            var hasSubject = !string.IsNullOrWhiteSpace(client.Subject);
            var hasKey = !string.IsNullOrWhiteSpace(client.SpkiSha256);
            if (hasSubject == hasKey)
                problems.Add($"Clients:{clientName}", "must pin the certificate by exactly one of Subject and SpkiSha256.");
            if (hasSubject && ClientPins.NormalizedSubject(client.Subject) is null)
                problems.Add($"Clients:{clientName}:Subject", $"must be a distinguished name such as CN=fees,O=RaBackend,C=TW, not '{client.Subject}'.");
            if (hasKey && !ClientPins.IsSpkiSha256(client.SpkiSha256))
                problems.Add($"Clients:{clientName}:SpkiSha256", $"must be the 64 hex digits of the certificate's SPKI SHA-256, not '{client.SpkiSha256}'.");
            // Two entries with the same pins would make the caller's role depend on dictionary order.
            var pin = $"{client.IssuerSpkiSha256.ToUpperInvariant()}|{ClientPins.NormalizedSubject(client.Subject)}|{client.SpkiSha256?.ToUpperInvariant()}";
            if (pinned.TryGetValue(pin, out var other))
                problems.Add($"Clients:{clientName}", $"has the same pins as {problems.Key($"Clients:{other}")}.");
            else
                pinned[pin] = clientName;
        }
        // By name, not index: the configured roles follow the defaults in the bound list, so the indexes differ.
        foreach (var (service, roles) in options.ServiceRoles)
        {
            foreach (var role in roles.Where(r => !AllRoles.Contains(r)))
                problems.Add($"ServiceRoles:{service}", $"names the role '{role}'; roles are {string.Join(", ", AllRoles)}.");
        }
        return problems.Result();
    }
}
