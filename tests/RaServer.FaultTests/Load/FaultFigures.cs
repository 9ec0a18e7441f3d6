using System.Globalization;
using RaServer.Tests.Harness;
using Xunit.Abstractions;

namespace RaServer.FaultTests.Load;

/// <summary>What one kind of watcher saw: events received, streams reopened, and how that differs from the event table.</summary>
public sealed record WatcherFigures(string Watcher, int Received, int Reconnects, int Missing, int Duplicates, int OutOfOrder);

/// <summary>
/// One fault run's figures: printed to the test output and recorded through <see cref="ReliabilityFigures"/> (one
/// JSON line in the file RA_FAULT_FIGURES names), under the names tools/reliability/render.py puts in RELIABILITY.md.
/// </summary>
public sealed record FaultFigures
{
    public required string Test { get; init; }
    public string Ca => "Embedded";
    public required string Fault { get; init; }
    public int Clients { get; init; }
    public int Journeys { get; init; }
    public int SubmittedAcknowledged { get; init; }
    public long SubmittedStored { get; init; }
    public int PaidAcknowledged { get; init; }
    public long PaidStored { get; init; }
    public int CsrAcknowledged { get; init; }
    public long Completed { get; init; }
    public int AbandonedJourneys { get; init; }
    public long ApplicationsIssuedTwice { get; init; }
    public long CaCertificatesUnknownToRa { get; init; }
    public long OpenCaRequests { get; init; }
    public long UnsentMail { get; init; }
    public long CaRequestsRetried { get; init; }
    public long MailSent { get; init; }
    public double FaultSeconds { get; init; }
    /// <summary>From the end of the fault until no CA request and no mail was waiting.</summary>
    public double DrainSeconds { get; init; }
    /// <summary>From the moment the load stopped until no CA request and no mail was waiting.</summary>
    public double DrainAfterLoadSeconds { get; init; }
    public IReadOnlyDictionary<string, int> Statuses { get; init; } = new Dictionary<string, int>();
    public IReadOnlyList<WatcherFigures> Watchers { get; init; } = [];
    /// <summary>Figures particular to one fault (leases held at the kill, import records applied, ...).</summary>
    public IReadOnlyDictionary<string, double> Extra { get; init; } = new Dictionary<string, double>();

    public void Report(ITestOutputHelper output)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Fault}: {Clients} clients, {Journeys} journeys; submitted acknowledged/stored {SubmittedAcknowledged}/{SubmittedStored}, " +
            $"paid {PaidAcknowledged}/{PaidStored}, CSR acknowledged/completed {CsrAcknowledged}/{Completed}, abandoned {AbandonedJourneys}; " +
            $"issued twice {ApplicationsIssuedTwice}, CA certificates unknown to the RA {CaCertificatesUnknownToRa}, open CA requests {OpenCaRequests}, " +
            $"unsent mail {UnsentMail} ({MailSent} sent, {CaRequestsRetried} CA requests retried); " +
            $"fault {FaultSeconds:F1} s, drained {DrainSeconds:F1} s after it ({DrainAfterLoadSeconds:F1} s after the load stopped)"));
        foreach (var (status, count) in Statuses)
            output.WriteLine($"  {count,6}  {status}");
        foreach (var w in Watchers)
            output.WriteLine($"  watcher {w.Watcher}: {w.Received} events, {w.Reconnects} reconnects, {w.Missing} missing, {w.Duplicates} twice, {w.OutOfOrder} out of order");
        foreach (var (name, value) in Extra)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name} = {value}"));
        ReliabilityFigures.Record($"fault: {Test}", this);
    }
}
