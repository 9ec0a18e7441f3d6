using Dapper;
using Npgsql;
using RaServer.Domain;

namespace RaServer.Storage;

/// <summary>Reads of the numbered event log for watch streams: always by sequence, a bounded batch at a time.</summary>
public sealed class ApplicationEventStore(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Whether the applicant may watch this application, and if it is over, the sequence of its final event (null while
    /// it is not final, or while its final event still waits for its number).
    /// </summary>
    public async Task<WatchTarget?> FindTargetAsync(Guid id, ApplicantKey applicant, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<WatchTarget>(new CommandDefinition(
            """
            SELECT a.id AS ApplicationId,
                   (SELECT max(e.sequence) FROM application_events e JOIN application_states s ON s.state = e.to_state
                    WHERE e.application_id = a.id AND s.final) AS FinalSequence
            FROM applications a
            WHERE a.id = @id
              AND (a.applicant_ubn = @Ubn::bpchar OR a.applicant_national_id = @NationalId)
            """,
            new { id, applicant.Ubn, applicant.NationalId }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<StoredEvent>> ReadApplicationAsync(Guid id, long after, int limit, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<StoredEvent>(new CommandDefinition(
            $"""
            SELECT {RowColumns.Event}
            FROM application_events e JOIN application_states s ON s.state = e.to_state
            WHERE e.application_id = @id AND e.sequence > @after
            ORDER BY e.sequence
            LIMIT @limit
            """,
            new { id, after, limit }, cancellationToken: ct))).AsList();
    }

    public async Task<IReadOnlyList<StoredEvent>> ReadApplicantAsync(ApplicantKey applicant, long after, int limit, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<StoredEvent>(new CommandDefinition(
            $"""
            SELECT {RowColumns.Event}
            FROM application_events e
                JOIN application_states s ON s.state = e.to_state
                JOIN applications a ON a.id = e.application_id
            WHERE e.sequence > @after
              AND (a.applicant_ubn = @Ubn::bpchar OR a.applicant_national_id = @NationalId)
            ORDER BY e.sequence
            LIMIT @limit
            """,
            new { after, applicant.Ubn, applicant.NationalId, limit }, cancellationToken: ct))).AsList();
    }

    /// <summary>The highest sequence number handed out so far.</summary>
    public async Task<long> HighestSequenceAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT last_sequence FROM event_sequencer", cancellationToken: ct));
    }

    /// <summary>
    /// Whose the events numbered after <paramref name="after"/> are, by sequence, at most <paramref name="limit"/>:
    /// ids only, no payloads, for waking the watchers concerned.
    /// </summary>
    public async Task<IReadOnlyList<EventOwner>> ReadOwnersAfterAsync(long after, int limit, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<EventOwner>(new CommandDefinition(
            """
            SELECT e.sequence AS Sequence, e.application_id AS ApplicationId,
                   a.applicant_ubn AS ApplicantUbn, a.applicant_national_id AS ApplicantNationalId
            FROM application_events e JOIN applications a ON a.id = e.application_id
            WHERE e.sequence > @after
            ORDER BY e.sequence
            LIMIT @limit
            """,
            new { after, limit }, cancellationToken: ct))).AsList();
    }
}

/// <summary>A watchable application: its id and, once it is over and numbered, the sequence of its final event.</summary>
public sealed record WatchTarget(Guid ApplicationId, long? FinalSequence);

/// <summary>Whose a numbered event is: its application and that application's applicant.</summary>
public sealed record EventOwner(long Sequence, Guid ApplicationId, string? ApplicantUbn, string? ApplicantNationalId);
