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

    /// <summary>
    /// The next <paramref name="limit"/> numbered events after <paramref name="after"/>, of any applicant, and which of
    /// them are this applicant's. The scan is bounded by sequence first (a materialized step), so its cost follows the
    /// events read, not the applicant's number of applications: joined from the applicant's side, a firm with 10,000
    /// applications cost 13 ms of PostgreSQL per read (BENCHMARKS.md, T1). The caller resumes after
    /// <see cref="EventPage.ScannedThrough"/> even when none of the scanned events were this applicant's.
    /// </summary>
    public async Task<EventPage> ReadApplicantAsync(ApplicantKey applicant, long after, int limit, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var scanned = (await connection.QueryAsync<ScannedEvent>(new CommandDefinition(
            $"""
            WITH scanned AS MATERIALIZED (
                SELECT sequence FROM application_events WHERE sequence > @after ORDER BY sequence LIMIT @limit
            )
            SELECT {RowColumns.Event},
                   coalesce(a.applicant_ubn = @Ubn::bpchar OR a.applicant_national_id = @NationalId, false) AS Mine
            FROM scanned x
                JOIN application_events e ON e.sequence = x.sequence
                JOIN application_states s ON s.state = e.to_state
                JOIN applications a ON a.id = e.application_id
            ORDER BY e.sequence
            """,
            new { after, applicant.Ubn, applicant.NationalId, limit }, cancellationToken: ct))).AsList();
        var mine = scanned.Where(e => e.Mine)
            .Select(e => new StoredEvent(e.Sequence, e.ApplicationId, e.FromState, e.ToState, e.OccurredAt, e.Detail, e.Final)).ToList();
        return new EventPage(mine, scanned.Count == 0 ? after : scanned[^1].Sequence, scanned.Count == limit);
    }

    private sealed record ScannedEvent(
        long Sequence, Guid ApplicationId, string? FromState, string ToState, DateTime OccurredAt, string? Detail, bool Final, bool Mine);

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

/// <summary>
/// The events a watch stream gets from one bounded read of the log: <see cref="ScannedThrough"/> is the last sequence looked
/// at, and <see cref="Full"/> says the scan hit its limit, so more may follow at once.
/// </summary>
public sealed record EventPage(IReadOnlyList<StoredEvent> Events, long ScannedThrough, bool Full);
