using Microsoft.Extensions.Options;

using RaServer.Domain;

namespace RaServer.Workers;

/// <summary>Refuses a weekly slot, window or pace with which expiry notices would never go out.</summary>
internal sealed class ExpiryNotifierOptionsValidator : IValidateOptions<ExpiryNotifierOptions>
{
    public ValidateOptionsResult Validate(string? name, ExpiryNotifierOptions options)
    {
        var problems = new OptionsProblems(ExpiryNotifierOptions.Section);
        problems.Defined(options.DayOfWeek, nameof(options.DayOfWeek));
        problems.Between(options.WindowDays, 1, 3650, nameof(options.WindowDays));
        // A run reads one more than MaxPerRun to learn whether it finished the week.
        problems.Between(options.MaxPerRun, 1, int.MaxValue - 1, nameof(options.MaxPerRun));
        problems.Duration(options.CheckInterval, nameof(options.CheckInterval));
        return problems.Result();
    }
}
