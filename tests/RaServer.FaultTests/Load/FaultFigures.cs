using System.Globalization;
using System.Text.Json;
using Xunit.Abstractions;

namespace RaServer.FaultTests.Load;

/// <summary>
/// One fault run's figures: printed to the test output and, when RA_FAULT_FIGURES names a file, appended to it as one
/// JSON line (RELIABILITY.md is made from those lines).
/// </summary>
public sealed record FaultFigures
{
    public required string Test { get; init; }
    public required string Fault { get; init; }
    public int Clients { get; init; }
    public int Journeys { get; init; }
    public int AcknowledgedSubmissions { get; init; }
    public int AcknowledgedPayments { get; init; }
    public int AcknowledgedCsrs { get; init; }
    public long StoredApplications { get; init; }
    public long CompletedApplications { get; init; }
    public int AbandonedJourneys { get; init; }
    public long ApplicationsIssuedTwice { get; init; }
    public long CaCertificatesUnknownToRa { get; init; }
    public long OpenCaRequestsAtEnd { get; init; }
    public long UnsentMailAtEnd { get; init; }
    public double FaultSeconds { get; init; }
    /// <summary>From the end of the fault until no CA request and no mail was waiting.</summary>
    public double DrainSeconds { get; init; }
    /// <summary>From the moment the load stopped until no CA request and no mail was waiting.</summary>
    public double DrainAfterLoadSeconds { get; init; }
    public int WatchedEvents { get; init; }
    public int WatchReconnects { get; init; }
    public IReadOnlyDictionary<string, int> Statuses { get; init; } = new Dictionary<string, int>();
    /// <summary>Figures particular to one fault (leases held at the kill, import records applied, ...).</summary>
    public IReadOnlyDictionary<string, double> Extra { get; init; } = new Dictionary<string, double>();

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public void Report(ITestOutputHelper output)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Fault}: {Clients} clients, {Journeys} journeys; acknowledged submit/pay/csr {AcknowledgedSubmissions}/{AcknowledgedPayments}/{AcknowledgedCsrs}, " +
            $"stored {StoredApplications} applications ({CompletedApplications} completed), abandoned {AbandonedJourneys}; " +
            $"issued twice {ApplicationsIssuedTwice}, CA certificates unknown to the RA {CaCertificatesUnknownToRa}; " +
            $"fault {FaultSeconds:F1} s, drained {DrainSeconds:F1} s after it ({DrainAfterLoadSeconds:F1} s after the load stopped); {WatchedEvents} events watched, {WatchReconnects} stream reconnects"));
        foreach (var (status, count) in Statuses)
            output.WriteLine($"  {count,6}  {status}");
        foreach (var (name, value) in Extra)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name} = {value}"));

        if (Environment.GetEnvironmentVariable("RA_FAULT_FIGURES") is { Length: > 0 } file)
        {
            var line = JsonSerializer.Serialize(this, Json) + "\n";
            lock (Json)
                File.AppendAllText(file, line);
        }
    }
}
