using Microsoft.Extensions.Options;

namespace RaServer.Workflow;

/// <summary>Refuses to start with an interval or batch size that would spin or never run.</summary>
internal sealed class EventsOptionsValidator : IValidateOptions<EventsOptions>
{
    public ValidateOptionsResult Validate(string? name, EventsOptions options) =>
        options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
