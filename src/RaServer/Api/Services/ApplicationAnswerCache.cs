using System.Collections.Concurrent;
using Customs.Ra.V1;
using Microsoft.Extensions.Options;
using RaServer.Domain;
using RaServer.Storage;

namespace RaServer.Api;

/// <summary>
/// GetApplication's answers, kept per replica (lever 6). An answer kept here is served only after one statement
/// (<see cref="ApplicationQueries.ReadVersionAsync"/>) shows its version unchanged in PostgreSQL, so it is true at the
/// moment it is given even when another replica committed a change whose notification has not arrived yet; when the
/// version differs, the answer is read again. Notifications and this replica's own commits only drop entries early.
/// The applicant check is made on every answer, cached or not.
/// </summary>
public sealed class ApplicationAnswerCache
{
    private readonly ApplicationQueries _queries;
    private readonly bool _enabled;
    private readonly int _capacity;
    private readonly ConcurrentDictionary<Guid, Entry> _entries = new();

    public ApplicationAnswerCache(ApplicationQueries queries, IOptions<ApiOptions> options, CommittedChanges changes)
    {
        _queries = queries;
        _enabled = options.Value.ApplicationAnswerCache;
        _capacity = options.Value.ApplicationAnswerCacheEntries;
        if (_enabled)
            changes.ApplicationChanged += id => _entries.TryRemove(id, out _);
    }

    /// <summary>The application as the applicant may see it now, or null when it does not exist or is someone else's.</summary>
    public async Task<Application?> GetAsync(Guid id, ApplicantKey applicant, CancellationToken ct)
    {
        if (!_enabled)
            return await _queries.GetWithSlipAsync(id, applicant, ct) is var (row, slip) ? ApplicationMapping.ToProto(row, slip) : null;

        // Someone else's key falls through to the read, which answers null exactly as it would without the cache.
        if (_entries.TryGetValue(id, out var kept) && kept.BelongsTo(applicant)
            && await _queries.ReadVersionAsync(id, ct) == kept.Version)
            return kept.Answer;

        if (await _queries.GetVersionedAsync(id, applicant, ct) is not var (application, paymentSlip, version))
            return null;
        var answer = ApplicationMapping.ToProto(application, paymentSlip);
        // A simple bound: starting over costs one read per application asked for again, and needs no bookkeeping per hit.
        if (_entries.Count >= _capacity)
            _entries.Clear();
        // An entry dropped by a notification while this read ran may come back with the older answer: harmless, the
        // version check refuses it on its next use.
        _entries[id] = new Entry(answer, version, application.ApplicantUbn, application.ApplicantNationalId);
        return answer;
    }

    /// <summary>
    /// The answer is shared by every response that serves it: gRPC only serializes it, and nothing here changes it.
    /// </summary>
    private sealed record Entry(Application Answer, ApplicationAnswerVersion Version, string? ApplicantUbn, string? ApplicantNationalId)
    {
        // The same test as the read's WHERE clause: the applicant's UBN or national ID is the row's.
        public bool BelongsTo(ApplicantKey applicant) =>
            (applicant.Ubn is not null && applicant.Ubn == ApplicantUbn)
            || (applicant.NationalId is not null && applicant.NationalId == ApplicantNationalId);
    }
}
