using System.Globalization;
using RaServer.Tests.Harness;
using Dapper;
using Npgsql;
using RaServer.Storage;
using Xunit.Abstractions;

namespace RaServer.Tests.Faults;

/// <summary>How one watcher's stream compares with the event log: what it missed, saw twice, or saw out of order.</summary>
public sealed record WatchFigures(int Replica, int Received, int Reconnects, int Missing, int Duplicates, int OutOfOrder, int Mismatched);

/// <summary>
/// The end counts of one fault run, read from the database (the product's consistency counts), from the CA's own
/// store and from the load's records, plus the run's times and status histogram. <see cref="AssertConsistent"/> holds
/// them to the bar: acknowledged = stored, no application issued twice, no CA certificate the RA does not know, the
/// outboxes empty, every watcher saw every event once and in order, and clients saw only OK and UNAVAILABLE.
/// </summary>
public sealed record FaultFigures(
    string Test,
    string Ca,
    string Fault,
    double LoadSeconds,
    double FaultSeconds,
    double? DrainSeconds,
    int SubmittedAcknowledged,
    int SubmittedStored,
    int PaidAcknowledged,
    int PaidStored,
    int CsrAcknowledged,
    int Completed,
    long ApplicationsIssuedTwice,
    long CaCertificatesUnknownToRa,
    long CaCertificates,
    long OpenCaRequests,
    long UnsentMail,
    long CaRequestsRetried,
    long CaAttempts,
    double LongestCaWaitSeconds,
    long MailRetried,
    long MailSent,
    IReadOnlyDictionary<string, int> Statuses,
    IReadOnlyDictionary<string, string> StatusDetails,
    IReadOnlyList<string> ClientFailures,
    IReadOnlyList<WatchFigures> Watchers)
{
    public static async Task<FaultFigures> ReadAsync(
        FaultBed bed, string test, string fault, MixedLoad load, TimeSpan loadTime, TimeSpan faultTime, TimeSpan? drainTime)
    {
        var acknowledged = load.Acknowledged;
        await using var connection = new NpgsqlConnection(bed.ConnectionString);
        await connection.OpenAsync();
        var counts = await ConsistencyCheck.ReadAsync(connection, bed.Clock.GetUtcNow(), CancellationToken.None);
        var states = (await connection.QueryAsync<(Guid Id, string State)>("SELECT id, state FROM applications"))
            .ToDictionary(r => r.Id.ToString("D"), r => r.State, StringComparer.OrdinalIgnoreCase);
        var raSerials = (await connection.QueryAsync<string>("SELECT serial_hex FROM certificates"))
            .Select(Canonical).ToHashSet(StringComparer.Ordinal);
        var caSerials = await bed.CaSerialsAsync();
        var outboxes = await connection.QuerySingleAsync<(long Retried, long Attempts, double LongestWait, long MailRetried, long MailSent)>(
            """
            SELECT (SELECT count(*) FROM ca_requests WHERE attempts > 1),
                   (SELECT coalesce(sum(attempts), 0) FROM ca_requests),
                   (SELECT coalesce(extract(epoch FROM max(completed_at - created_at)), 0)::float8 FROM ca_requests),
                   (SELECT count(*) FROM mail_outbox WHERE attempts > 1),
                   (SELECT count(*) FROM mail_outbox WHERE sent_at IS NOT NULL)
            """);
        var events = (await connection.QueryAsync<(long Sequence, Guid ApplicationId, string ToState)>(
            "SELECT sequence, application_id, to_state FROM application_events WHERE sequence IS NOT NULL ORDER BY sequence")).ToList();

        return new FaultFigures(
            test, bed.Ca.ToString(), fault,
            Round(loadTime), Round(faultTime), drainTime is { } d ? Round(d) : null,
            acknowledged.Submitted.Count, acknowledged.Submitted.Count(states.ContainsKey),
            acknowledged.Paid.Count, acknowledged.Paid.Count(id => states.GetValueOrDefault(id) is { } s && s is not ("RECEIVED" or "AWAITING_PAYMENT")),
            acknowledged.CsrAccepted.Count, acknowledged.CsrAccepted.Count(id => states.GetValueOrDefault(id) == "COMPLETED"),
            counts.ApplicationsIssuedTwice,
            // In CMP mode the RA's database holds no CA: the CA's own store is the one to compare.
            bed.Ca == CaSetup.Cmp ? caSerials.Count(s => !raSerials.Contains(Canonical(s))) : counts.CaCertificatesUnknownToRa,
            caSerials.Count,
            counts.OpenCaRequests, counts.UnsentMail,
            outboxes.Retried, outboxes.Attempts, Math.Round(outboxes.LongestWait, 2), outboxes.MailRetried, outboxes.MailSent,
            load.Statuses, load.FirstDetails, load.Failures,
            load.Watched.Select((w, i) => Compare(i, w, events)).ToList());
    }

    private static WatchFigures Compare(int replica, WatchedStream stream, IReadOnlyList<(long Sequence, Guid ApplicationId, string ToState)> log)
    {
        var received = stream.Events;
        var bySequence = log.ToDictionary(e => e.Sequence);
        var seen = received.Select(e => e.Sequence).ToHashSet();
        var outOfOrder = received.Zip(received.Skip(1)).Count(p => p.Second.Sequence <= p.First.Sequence);
        var mismatched = received.Count(e => !bySequence.TryGetValue(e.Sequence, out var logged)
            || logged.ApplicationId != Guid.Parse(e.ApplicationId)
            || !string.Equals(logged.ToState.Replace("_", "", StringComparison.Ordinal), e.ToState.ToString(), StringComparison.OrdinalIgnoreCase));
        return new WatchFigures(replica, received.Count, stream.Reconnects,
            log.Count(e => !seen.Contains(e.Sequence)), received.Count - seen.Count, outOfOrder, mismatched);
    }

    private static string Canonical(string serialHex) => serialHex.TrimStart('0').ToLowerInvariant();

    private static double Round(TimeSpan t) => Math.Round(t.TotalSeconds, 2);

    public void AssertConsistent()
    {
        Assert.Empty(ClientFailures);
        Assert.All(Statuses.Keys, k => Assert.True(k.EndsWith(" OK", StringComparison.Ordinal) || k.EndsWith(" Unavailable", StringComparison.Ordinal),
            $"a client saw {k}"));
        Assert.True(CsrAcknowledged >= 2, $"the load got only {CsrAcknowledged} CSRs through");
        Assert.Equal(SubmittedAcknowledged, SubmittedStored);
        Assert.Equal(PaidAcknowledged, PaidStored);
        Assert.Equal(CsrAcknowledged, Completed);
        Assert.Equal(0, ApplicationsIssuedTwice);
        Assert.Equal(0, CaCertificatesUnknownToRa);
        Assert.Equal(Completed, CaCertificates);
        Assert.Equal(0, OpenCaRequests);
        Assert.Equal(0, UnsentMail);
        Assert.NotNull(DrainSeconds);
        Assert.All(Watchers, w =>
        {
            Assert.True(w.Missing == 0 && w.Duplicates == 0 && w.OutOfOrder == 0 && w.Mismatched == 0,
                $"the watcher on replica {w.Replica} missed {w.Missing}, saw {w.Duplicates} twice, {w.OutOfOrder} out of order, {w.Mismatched} wrong");
            Assert.True(w.Reconnects > 0, $"the watcher on replica {w.Replica} never reconnected");
        });
    }

    /// <summary>Prints the figures, and records them for RELIABILITY.md (<see cref="ReliabilityFigures"/>).</summary>
    public void Report(ITestOutputHelper output)
    {
        output.WriteLine($"{Test} [{Ca}, {Fault}]: load {LoadSeconds} s, fault held {FaultSeconds} s, " +
            $"backlog drained {(DrainSeconds is { } d ? d.ToString(CultureInfo.InvariantCulture) + " s" : "NOT")} after the fault ended");
        output.WriteLine($"  acknowledged/stored: submitted {SubmittedAcknowledged}/{SubmittedStored}, paid {PaidAcknowledged}/{PaidStored}, " +
            $"CSR {CsrAcknowledged}/completed {Completed}");
        output.WriteLine($"  issued twice {ApplicationsIssuedTwice}, CA certificates {CaCertificates} ({CaCertificatesUnknownToRa} unknown to the RA), " +
            $"open CA requests {OpenCaRequests}, unsent mail {UnsentMail}");
        output.WriteLine($"  CA requests retried {CaRequestsRetried} ({CaAttempts} attempts in all), longest wait for the CA {LongestCaWaitSeconds} s, notices retried {MailRetried} of {MailSent} sent");
        output.WriteLine($"  statuses: {string.Join(", ", Statuses.Select(s => $"{s.Key} ×{s.Value}"))}");
        foreach (var (status, detail) in StatusDetails)
            output.WriteLine($"  first {status}: {detail}");
        foreach (var w in Watchers)
            output.WriteLine($"  watcher on replica {w.Replica}: {w.Received} events over {w.Reconnects} reconnects; " +
                $"missing {w.Missing}, twice {w.Duplicates}, out of order {w.OutOfOrder}, wrong {w.Mismatched}");
        foreach (var failure in ClientFailures)
            output.WriteLine($"  client failure: {failure}");

        ReliabilityFigures.Record($"fault: {Test}", this);
    }
}
