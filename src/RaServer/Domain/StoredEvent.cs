using RaServer.Api;
using RaServer.Hosting;
using RaServer.Storage;
using RaServer.Workers;
using RaServer.Workflow;
namespace RaServer.Domain;

/// <summary>One numbered row of application_events, with whether its to_state is final (application_states.final).</summary>
public sealed record StoredEvent(
    long Sequence, Guid ApplicationId, string? FromState, string ToState, DateTime OccurredAt, string? Detail, bool Final)
{
    internal const string Columns = """
        e.sequence AS Sequence, e.application_id AS ApplicationId, e.from_state AS FromState, e.to_state AS ToState,
        e.occurred_at AS OccurredAt, e.detail AS Detail, s.final AS Final
        """;
}
