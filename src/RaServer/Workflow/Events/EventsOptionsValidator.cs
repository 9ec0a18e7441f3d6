using Microsoft.Extensions.Options;

using RaServer.Domain;

namespace RaServer.Workflow;

/// <summary>Refuses an interval or batch size with which the sequencer, the listener or watch streams would spin or never run.</summary>
internal sealed class EventsOptionsValidator : IValidateOptions<EventsOptions>
{
    public ValidateOptionsResult Validate(string? name, EventsOptions options)
    {
        var problems = new OptionsProblems(EventsOptions.Section);
        problems.Duration(options.SequencerPollInterval, nameof(options.SequencerPollInterval));
        problems.Positive(options.SequencerBatchSize, nameof(options.SequencerBatchSize));
        problems.Duration(options.WatchRecheckInterval, nameof(options.WatchRecheckInterval));
        problems.Positive(options.WatchBatchSize, nameof(options.WatchBatchSize));
        problems.Duration(options.ReconnectMaxBackoff, nameof(options.ReconnectMaxBackoff));
        problems.Duration(options.ListenerIdleCheck, nameof(options.ListenerIdleCheck));
        return problems.Result();
    }
}
