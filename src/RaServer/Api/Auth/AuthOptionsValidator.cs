using Microsoft.Extensions.Options;

using RaServer.Domain;

namespace RaServer.Api;

/// <summary>
/// Refuses an allow-list the authorization interceptor cannot apply. Without the client CA bundle every call fails
/// (the interceptor runs on every service), and an officer without an office is refused by every office call.
/// </summary>
internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    private static readonly string[] AllRoles = [Roles.Officer, Roles.Registry, Roles.Fees, Roles.Verifier];

    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var problems = new OptionsProblems(AuthOptions.Section);
        problems.ExistingFile(options.ClientCaBundlePath, nameof(options.ClientCaBundlePath));
        foreach (var (commonName, client) in options.Clients)
        {
            problems.OneOf(client.Role, AllRoles, $"Clients:{commonName}:Role");
            if (client.Role == Roles.Officer)
                problems.Required(client.OfficeCode, $"Clients:{commonName}:OfficeCode");
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
