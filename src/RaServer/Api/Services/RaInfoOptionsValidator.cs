using Microsoft.Extensions.Options;
using RaServer.Policy;

using RaServer.Domain;

namespace RaServer.Api;

/// <summary>
/// Refuses RA information GetRaInfo could not publish: the manual asks for the RA's name and contacts, and a
/// procedure naming an unknown service type or kind would make every GetRaInfo call fail.
/// </summary>
internal sealed class RaInfoOptionsValidator : IValidateOptions<RaInfoOptions>
{
    public ValidateOptionsResult Validate(string? name, RaInfoOptions options)
    {
        var problems = new OptionsProblems(RaInfoOptions.Section);
        problems.Required(options.Name, nameof(options.Name));
        problems.HttpUrl(options.Url, nameof(options.Url));
        problems.Check(System.Net.Mail.MailAddress.TryCreate(options.Email, out _), nameof(options.Email),
            $"must be an e-mail address, not '{options.Email}'.");
        for (var i = 0; i < options.Procedures.Count; i++)
        {
            var procedure = options.Procedures[i];
            problems.OneOf(procedure.ServiceType, FeeSchedule.ServiceTypes, $"Procedures:{i}:ServiceType");
            // Empty: the same procedure for both kinds.
            problems.Check(procedure.Kind.Length == 0 || FeeSchedule.Kinds.Contains(procedure.Kind), $"Procedures:{i}:Kind",
                $"must be one of {string.Join(", ", FeeSchedule.Kinds)} or empty for both, not '{procedure.Kind}'.");
            problems.Required(procedure.Title, $"Procedures:{i}:Title");
        }
        return problems.Result();
    }
}
