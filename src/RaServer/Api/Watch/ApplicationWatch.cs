using Customs.Ra.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Options;
using RaServer.Domain;
using RaServer.Storage;
using RaServer.Workflow;

namespace RaServer.Api;

/// <summary>
/// WatchApplication: the stored history after the client's cursor, then live events, always read from the event table
/// by sequence. A wake-up only says "look again", so a slow client falls behind in the table, never in this process's
/// memory (at most one batch is held per stream), and a reconnecting client resumes from its last sequence.
/// This method is the stream's only writer.
/// </summary>
public sealed class ApplicationWatch(
    SignedRequestPipeline signed,
    ApplicationEventStore events,
    WatcherRegistry watchers,
    EventsMetrics metrics,
    IOptions<EventsOptions> options,
    TimeProvider clock)
{
    public async Task WatchAsync(
        WatchApplicationRequest request, IServerStreamWriter<WatchApplicationResponse> stream, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var call = signed.Accept(request.Envelope, WatchApplicationPayload.Parser, p => p.Header, context);
        var scope = WatchScope.From(call.Payload);
        if (scope.ApplicationId is { } id)
        {
            var target = await events.FindTargetAsync(id, scope.Applicant, ct)
                ?? throw new RaException(RaErrorKind.NotFound, "APPLICATION_NOT_FOUND", "no such application for this applicant");
            if (target.FinalSequence <= scope.AfterSequence)
                return; // over, and the client has already seen how it ended
        }

        // Registered before the first read, so an event numbered after that read still wakes this stream.
        using var watcher = watchers.Register(scope.Key);
        metrics.StreamOpened();
        try
        {
            await StreamAsync(scope, watcher.Signal, stream, ct);
        }
        finally
        {
            metrics.StreamClosed();
        }
    }

    private async Task StreamAsync(
        WatchScope scope, WakeSignal wake, IServerStreamWriter<WatchApplicationResponse> stream, CancellationToken ct)
    {
        var cursor = scope.AfterSequence;
        var batchSize = options.Value.WatchBatchSize;
        while (true)
        {
            var page = scope.ApplicationId is { } id
                ? Page(await events.ReadApplicationAsync(id, cursor, batchSize, ct), cursor, batchSize)
                : await events.ReadApplicantAsync(scope.Applicant, cursor, batchSize, ct);
            foreach (var e in page.Events)
            {
                await stream.WriteAsync(new WatchApplicationResponse { Event = ToProto(e) }, ct);
                metrics.Delivered();
                if (e.Final && scope.ApplicationId is not null)
                    return; // nothing can follow a final state
            }
            cursor = page.ScannedThrough;
            if (!page.Full)
                await wake.WaitAsync(options.Value.WatchRecheckInterval, clock, ct);
        }
    }

    /// <summary>One application's events read by its own index: everything scanned is the application's.</summary>
    private static EventPage Page(IReadOnlyList<StoredEvent> batch, long cursor, int batchSize) =>
        new(batch, batch.Count == 0 ? cursor : batch[^1].Sequence, batch.Count == batchSize);

    private static ApplicationEvent ToProto(StoredEvent e) => new()
    {
        Sequence = e.Sequence,
        ApplicationId = e.ApplicationId.ToString("D"),
        FromState = e.FromState is null
            ? ApplicationState.Unspecified
            : ProtoEnums.Parse<ApplicationState>("APPLICATION_STATE_", e.FromState),
        ToState = ProtoEnums.Parse<ApplicationState>("APPLICATION_STATE_", e.ToState),
        OccurredAt = Timestamp.FromDateTime(DateTime.SpecifyKind(e.OccurredAt, DateTimeKind.Utc)),
        Detail = e.Detail ?? "",
    };
}
