namespace RaServer.Domain;

/// <summary>One numbered row of application_events, with whether its to_state is final (application_states.final).</summary>
public sealed record StoredEvent(
    long Sequence, Guid ApplicationId, string? FromState, string ToState, DateTime OccurredAt, string? Detail, bool Final)
{
}
