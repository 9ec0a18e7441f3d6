using Microsoft.Extensions.Options;

using RaServer.Domain;

namespace RaServer.Workers;

/// <summary>Refuses dispatch settings that would spin, never retry, or starve the rest of the RA of connections.</summary>
internal sealed class CaDispatchOptionsValidator : IValidateOptions<CaDispatchOptions>
{
    public ValidateOptionsResult Validate(string? name, CaDispatchOptions options)
    {
        var problems = new OptionsProblems(CaDispatchOptions.Section);
        problems.Duration(options.PollInterval, nameof(options.PollInterval));
        // Each worker takes database connections for its batches; Npgsql's pool has 100 by default.
        problems.Between(options.Concurrency, 0, 100, nameof(options.Concurrency));
        problems.Between(options.BatchSize, 1, 1000, nameof(options.BatchSize));
        problems.Duration(options.LeaseDuration, nameof(options.LeaseDuration));
        problems.Duration(options.FirstRetryDelay, nameof(options.FirstRetryDelay));
        problems.Duration(options.MaxBackoff, nameof(options.MaxBackoff));
        problems.Check(options.MaxBackoff >= options.FirstRetryDelay, nameof(options.MaxBackoff),
            $"must be at least {problems.Key(nameof(options.FirstRetryDelay))}.");
        return problems.Result();
    }
}
