using Microsoft.Extensions.Options;

using RaServer.Domain;

namespace RaServer.Policy;

/// <summary>Refuses a renewal window or operator kind the eligibility rules cannot apply.</summary>
internal sealed class EligibilityOptionsValidator : IValidateOptions<EligibilityOptions>
{
    public ValidateOptionsResult Validate(string? name, EligibilityOptions options)
    {
        var problems = new OptionsProblems(EligibilityOptions.Section);
        // Certificates last a few years; ten years is beyond any window that means "shortly before expiry".
        problems.Between(options.RenewWindowDays, 1, 3650, nameof(options.RenewWindowDays));
        // None would reject every ORGANIZATION application as OPERATOR_KIND_NOT_ELIGIBLE.
        problems.Check(options.EligibleOperatorKinds.Count > 0, nameof(options.EligibleOperatorKinds), "needs at least one operator kind.");
        for (var i = 0; i < options.EligibleOperatorKinds.Count; i++)
            problems.OneOf(options.EligibleOperatorKinds[i], OperatorKinds.All, $"EligibleOperatorKinds:{i}");
        return problems.Result();
    }
}
