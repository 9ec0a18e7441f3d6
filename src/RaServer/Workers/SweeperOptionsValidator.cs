using Microsoft.Extensions.Options;

using RaServer.Domain;

namespace RaServer.Workers;

/// <summary>Refuses a sweep interval or batch size with which overdue slips would never be voided.</summary>
internal sealed class SweeperOptionsValidator : IValidateOptions<SweeperOptions>
{
    public ValidateOptionsResult Validate(string? name, SweeperOptions options)
    {
        var problems = new OptionsProblems(SweeperOptions.Section);
        problems.Duration(options.Interval, nameof(options.Interval));
        // Each batch is one transaction holding its rows' locks; beyond this many it is no longer short.
        problems.Between(options.BatchSize, 1, 10_000, nameof(options.BatchSize));
        return problems.Result();
    }
}
