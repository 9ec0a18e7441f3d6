using System.Diagnostics.Metrics;

namespace RaServer.Workflow;

/// <summary>What an operator watches on the event path (docs/ARCHITECTURE.md): open streams, delivery rate, sequencer lag.</summary>
public sealed class EventsMetrics : IDisposable
{
    public const string MeterName = "RaBackend.Events";

    private readonly UpDownCounter<long> _openStreams;
    private readonly Counter<long> _delivered;
    private readonly Histogram<double> _sequencerLag;

    public EventsMetrics(IMeterFactory? meterFactory = null)
    {
        Meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _openStreams = Meter.CreateUpDownCounter<long>("ra.events.watch.open_streams", description: "WatchApplication streams open on this replica.");
        _delivered = Meter.CreateCounter<long>("ra.events.watch.delivered", description: "Events written to WatchApplication streams.");
        _sequencerLag = Meter.CreateHistogram<double>("ra.events.sequencer.lag", "s",
            "From an event's occurred_at to the commit of its sequence number, per event, by the database clock.");
    }

    /// <summary>The meter itself, so tests can listen to this instance only.</summary>
    public Meter Meter { get; }

    internal void StreamOpened() => _openStreams.Add(1);
    internal void StreamClosed() => _openStreams.Add(-1);
    internal void Delivered() => _delivered.Add(1);
    internal void Sequenced(double lagSeconds) => _sequencerLag.Record(lagSeconds);

    public void Dispose() => Meter.Dispose();
}
