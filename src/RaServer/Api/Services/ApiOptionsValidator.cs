using Microsoft.Extensions.Options;
using RaServer.Domain;

namespace RaServer.Api;

/// <summary>Refuses an answer cache that could hold nothing, or so much that it would crowd the process's memory.</summary>
internal sealed class ApiOptionsValidator : IValidateOptions<ApiOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiOptions options)
    {
        var problems = new OptionsProblems(ApiOptions.Section);
        // An answer is a few KiB; a million of them is already gigabytes.
        problems.Between(options.ApplicationAnswerCacheEntries, 1, 1_000_000, nameof(options.ApplicationAnswerCacheEntries));
        return problems.Result();
    }
}
