using System.Diagnostics;
using Customs.Ra.V1;
using Dapper;
using Npgsql;
using RaServer.FaultTests.Fixtures;
using RaServer.Storage;

namespace RaServer.FaultTests.Load;

/// <summary>
/// The end of every fault test: wait (bounded) until the RA has drained its queues, then hold the database and the
/// watchers to what the clients were told. Everything wrong is collected and reported at once, after the figures
/// are written, so a failing run still says how far off it was.
/// </summary>
public sealed class Reconciliation(ReplicaPair pair, Ledger ledger, EventWatchers watchers)
{
    /// <summary>How long the RA may take after a fault to send every CA request and mail (the lease is 2 s).</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(60);

    private readonly List<string> _problems = [];

    public IReadOnlyList<string> Problems => _problems;

    /// <param name="faultOver">Started when the fault ended; the drain time is measured from there.</param>
    public async Task<FaultFigures> ReconcileAsync(FaultFigures figures, Stopwatch faultOver)
    {
        await using var connection = new NpgsqlConnection(pair.ConnectionString);
        await connection.OpenAsync();

        var loadStopped = Stopwatch.StartNew();
        var counts = await WaitForDrainAsync(connection);
        var drainSeconds = faultOver.Elapsed.TotalSeconds;
        var drainAfterLoad = loadStopped.Elapsed.TotalSeconds;
        if (!counts.Drained)
            _problems.Add($"not drained {DrainTimeout.TotalSeconds:F0} s after the fault: {counts}");
        if (!counts.Intact)
            _problems.Add($"duplicate or lost issuance: {counts}");

        var perApplication = await watchers.ApplicationsAsync(TimeSpan.FromSeconds(30));
        var storedEvents = (await connection.QueryAsync<(Guid ApplicationId, long Sequence)>(
            "SELECT application_id, sequence FROM application_events WHERE sequence IS NOT NULL ORDER BY sequence")).ToList();
        var applicantWide = await StopApplicantWatchersAsync(storedEvents.Count == 0 ? 0 : storedEvents[^1].Sequence);

        var applications = (await connection.QueryAsync<(Guid Id, string RequestId, string State)>(
            "SELECT id, request_id, state FROM applications")).ToDictionary(a => a.Id.ToString("D"));
        var certificates = (await connection.QueryAsync<(Guid ApplicationId, long Count)>(
            "SELECT issued_for_application, count(*) FROM certificates WHERE issued_for_application IS NOT NULL GROUP BY 1"))
            .ToDictionary(c => c.ApplicationId.ToString("D"), c => c.Count);
        var paid = (await connection.QueryAsync<Guid>("SELECT application_id FROM payment_slips WHERE status = 'PAID'"))
            .Select(id => id.ToString("D")).ToHashSet();

        var caRetried = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM ca_requests WHERE attempts > 1");
        var mailSent = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM mail_outbox WHERE sent_at IS NOT NULL");

        CheckStatuses();
        CheckAcknowledgements(applications, certificates, paid);
        var watcherFigures = CheckWatchers(perApplication, applicantWide, storedEvents);
        CheckReplicaLogs();

        return figures with
        {
            SubmittedAcknowledged = ledger.ApplicationsWith(Acknowledged.Submitted).Count,
            SubmittedStored = applications.Count,
            PaidAcknowledged = ledger.ApplicationsWith(Acknowledged.Paid).Count,
            PaidStored = paid.Count,
            CsrAcknowledged = ledger.ApplicationsWith(Acknowledged.KeySubmitted).Count,
            Completed = applications.Values.Count(a => a.State == "COMPLETED"),
            AbandonedJourneys = ledger.Abandoned,
            ApplicationsIssuedTwice = counts.ApplicationsIssuedTwice,
            CaCertificatesUnknownToRa = counts.CaCertificatesUnknownToRa,
            OpenCaRequests = counts.OpenCaRequests,
            UnsentMail = counts.UnsentMail,
            CaRequestsRetried = caRetried,
            MailSent = mailSent,
            DrainSeconds = drainSeconds,
            DrainAfterLoadSeconds = drainAfterLoad,
            Watchers = watcherFigures,
            Statuses = ledger.Statuses,
        };
    }

    /// <summary>Fails the test with every problem found, if any.</summary>
    public void AssertNoProblems() =>
        Assert.True(_problems.Count == 0, $"{_problems.Count} problems:\n" + string.Join("\n", _problems.Take(40)));

    private async Task<ConsistencyCounts> WaitForDrainAsync(NpgsqlConnection connection)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var counts = await ConsistencyCheck.ReadAsync(connection, DateTimeOffset.UtcNow, CancellationToken.None);
            var unsequenced = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM application_events WHERE sequence IS NULL");
            if ((counts.Drained && unsequenced == 0) || waited.Elapsed > DrainTimeout)
                return counts;
            await Task.Delay(200);
        }
    }

    private async Task<IReadOnlyList<(int Replica, IReadOnlyList<ApplicationEvent> Events)>> StopApplicantWatchersAsync(long lastSequence)
    {
        var waited = Stopwatch.StartNew();
        while (watchers.ApplicantWatchersSeenThrough < lastSequence && waited.Elapsed < TimeSpan.FromSeconds(15))
            await Task.Delay(100);
        return await watchers.StopAsync();
    }

    private void CheckStatuses()
    {
        foreach (var unexpected in ledger.Unexpected)
            _problems.Add($"client saw: {unexpected}");
        foreach (var status in ledger.Statuses.Keys)
            if (!status.Contains(" OK", StringComparison.Ordinal) && !status.Contains(" Unavailable", StringComparison.Ordinal))
                _problems.Add($"status outside OK/UNAVAILABLE: {status}");
    }

    private void CheckAcknowledgements(
        Dictionary<string, (Guid Id, string RequestId, string State)> applications, Dictionary<string, long> certificates, HashSet<string> paid)
    {
        var submitted = ledger.SubmittedRequestIds;
        foreach (var (id, requestId) in submitted)
            if (!applications.TryGetValue(id, out var stored))
                _problems.Add($"acknowledged application {id} is not stored");
            else if (stored.RequestId != requestId)
                _problems.Add($"application {id} is stored with request id {stored.RequestId}, acknowledged for {requestId}");
        // An application stored without an acknowledgement can only be one whose answer the client never got.
        var unacknowledged = applications.Keys.Count(id => !submitted.ContainsKey(id));
        if (unacknowledged > ledger.Abandoned)
            _problems.Add($"{unacknowledged} applications stored that no client was told about, but only {ledger.Abandoned} journeys were abandoned");
        foreach (var id in ledger.ApplicationsWith(Acknowledged.Paid).Where(id => !paid.Contains(id)))
            _problems.Add($"acknowledged payment of {id} is not stored");
        foreach (var id in ledger.ApplicationsWith(Acknowledged.KeySubmitted))
        {
            var state = applications.TryGetValue(id, out var stored) ? stored.State : "missing";
            var issued = certificates.GetValueOrDefault(id);
            if (state != "COMPLETED" || issued != 1)
                _problems.Add($"application {id} with an acknowledged CSR is {state} with {issued} certificates");
        }
    }

    private List<WatcherFigures> CheckWatchers(
        IReadOnlyDictionary<string, IReadOnlyList<ApplicationEvent>> perApplication,
        IReadOnlyList<(int Replica, IReadOnlyList<ApplicationEvent> Events)> applicantWide,
        List<(Guid ApplicationId, long Sequence)> storedEvents)
    {
        var figures = new List<WatcherFigures>();
        var byApplication = storedEvents.GroupBy(e => e.ApplicationId.ToString("D")).ToDictionary(g => g.Key, g => g.Select(e => e.Sequence).ToList());
        var (received, missing, duplicates, outOfOrder) = (0, 0, 0, 0);
        foreach (var (id, seen) in perApplication)
        {
            var expected = byApplication.GetValueOrDefault(id) ?? [];
            var got = seen.Select(e => e.Sequence).ToList();
            received += got.Count;
            missing += expected.Except(got).Count();
            duplicates += got.Count - got.Distinct().Count();
            outOfOrder += got.SequenceEqual(got.Order()) ? 0 : 1;
            if (!got.SequenceEqual(expected))
                _problems.Add($"watcher of {id} saw [{string.Join(",", got)}], stored [{string.Join(",", expected)}]");
        }
        figures.Add(new WatcherFigures($"{perApplication.Count} per application (reconnects of all watchers)", received, watchers.Reconnects, missing, duplicates, outOfOrder));

        var all = storedEvents.Select(e => e.Sequence).ToList();
        foreach (var (replica, seen) in applicantWide)
        {
            var got = seen.Select(e => e.Sequence).ToList();
            var figure = new WatcherFigures($"company-wide from {pair.Replicas[replica].Name}", got.Count, Reconnects: 0,
                all.Except(got).Count(), got.Count - got.Distinct().Count(), got.SequenceEqual(got.Order()) ? 0 : 1);
            figures.Add(figure);
            if (!got.SequenceEqual(all))
                _problems.Add($"{figure}; stored {all.Count}");
        }
        return figures;
    }

    /// <summary>INTERNAL leaves "Unexpected failure" (event 1001) in the replica's log; any error entry is reported.</summary>
    private void CheckReplicaLogs()
    {
        foreach (var replica in pair.Replicas)
            foreach (var failure in replica.Failures.Where(f => f.Contains("[1001]", StringComparison.Ordinal)))
                _problems.Add($"{replica.Name} logged an unexpected failure: {failure}");
    }
}
