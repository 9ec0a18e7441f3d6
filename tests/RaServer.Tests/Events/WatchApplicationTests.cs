using System.Diagnostics;
using Customs.Ra.V1;
using Dapper;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RaServer.Api;
using RaServer.Domain;
using RaServer.Hosting;
using RaServer.Storage;
using RaServer.Workers;
using RaServer.Workflow;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;
using Xunit.Abstractions;
using static RaServer.Tests.Events.TestApplications;

namespace RaServer.Tests.Events;

/// <summary>WatchApplication through the real gRPC API, with events made by the applications table's trigger.</summary>
/// <remarks>
/// One server for the class: each test watches applications it makes itself. The two tests that watch all of the
/// company's applications from the start of history start their own, empty server.
/// </remarks>
public sealed class WatchApplicationTests(PostgresFixture postgres, SharedRaServer shared)
    : IClassFixture<PostgresFixture>, IClassFixture<SharedRaServer>, IAsyncLifetime
{
    private readonly RaServerHarness server = shared.Server;
    private readonly WatchStreams watch = new(shared.Server);
    private NpgsqlConnection db = null!;

    public async Task InitializeAsync() => db = await OpenAsync(server.ConnectionString);

    public async Task DisposeAsync() => await db.DisposeAsync();

    /// <summary>A server of the test's own, for the tests that read every event in the database.</summary>
    private async Task<(RaServerHarness Server, NpgsqlConnection Db, WatchStreams Watch)> OwnServerAsync()
    {
        var own = await RaServerHarness.StartAsync(postgres);
        return (own, await OpenAsync(own.ConnectionString), new WatchStreams(own));
    }

    [Fact]
    public async Task The_history_arrives_first_then_live_transitions_and_the_stream_ends_after_a_final_state()
    {
        var id = await CreateAsync(db);
        await MoveAsync(db, id, "AWAITING_PAYMENT");
        using var call = watch.Application(id);

        var history = await WatchStreams.ReadAsync(call, 2);
        Assert.Equal([ApplicationState.Received, ApplicationState.AwaitingPayment], history.Select(e => e.ToState));
        Assert.Equal(ApplicationState.Unspecified, history[0].FromState);
        Assert.Equal("to AWAITING_PAYMENT", history[1].Detail);

        foreach (var state in PathToCompleted.Skip(1))
            await MoveAsync(db, id, state);
        var live = await WatchStreams.ReadAsync(call, 3);
        Assert.Equal([ApplicationState.AwaitingKey, ApplicationState.Forwarded, ApplicationState.Completed], live.Select(e => e.ToState));
        AssertStrictlyIncreasing(history.Concat(live));
        Assert.All(history.Concat(live), e => Assert.Equal(id.ToString("D"), e.ApplicationId));
        await WatchStreams.AssertEndsAsync(call);
    }

    [Fact]
    public async Task A_finished_application_whose_end_the_client_has_seen_ends_the_stream_at_once()
    {
        var id = await CreateAsync(db);
        await MoveAsync(db, id, "REJECTED");
        using (var first = watch.Application(id))
        {
            var all = await WatchStreams.ReadAsync(first, 2);
            await WatchStreams.AssertEndsAsync(first);

            using var again = watch.Application(id, afterSequence: all[^1].Sequence);
            await WatchStreams.AssertEndsAsync(again, within: TimeSpan.FromSeconds(5));
        }
    }

    [Fact]
    public async Task A_client_that_reconnects_with_its_last_sequence_gets_exactly_the_events_after_it()
    {
        var id = await CreateAsync(db);
        await MoveAsync(db, id, "AWAITING_PAYMENT");
        long last;
        using (var cancel = new CancellationTokenSource())
        using (var call = watch.Application(id, ct: cancel.Token))
        {
            last = (await WatchStreams.ReadAsync(call, 2))[^1].Sequence;
            cancel.Cancel();
        }

        foreach (var state in PathToCompleted.Skip(1))
            await MoveAsync(db, id, state);
        using var resumed = watch.Application(id, afterSequence: last);
        var after = await WatchStreams.ReadAsync(resumed, 3);
        await WatchStreams.AssertEndsAsync(resumed);

        var stored = (await db.QueryAsync<long>(
            "SELECT sequence FROM application_events WHERE application_id = @id AND sequence > @last ORDER BY sequence",
            new { id, last })).ToList();
        Assert.Equal(stored, after.Select(e => e.Sequence));
        Assert.Equal([ApplicationState.AwaitingKey, ApplicationState.Forwarded, ApplicationState.Completed], after.Select(e => e.ToState));
    }

    [Fact]
    public async Task Under_concurrent_writers_a_watcher_of_all_applications_gets_every_event_once_in_sequence_order()
    {
        var (server, db, watch) = await OwnServerAsync();
        await using var ownServer = server;
        await using var ownDb = db;
        const int Writers = 20, ApplicationsEach = 10, EventsEach = 3;
        using var call = watch.AllApplications();
        // The stream is open once the server has registered it; the first event proves that.
        var marker = await CreateAsync(db);
        var received = await WatchStreams.ReadAsync(call, 1);

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(async _ =>
        {
            await using var connection = await OpenAsync(server.ConnectionString);
            for (var i = 0; i < ApplicationsEach; i++)
            {
                var id = await CreateAsync(connection);
                await MoveAsync(connection, id, "AWAITING_PAYMENT");
                await MoveAsync(connection, id, "CANCELLED");
            }
        }));
        received.AddRange(await WatchStreams.ReadAsync(call, Writers * ApplicationsEach * EventsEach, TimeSpan.FromSeconds(30)));

        AssertStrictlyIncreasing(received);
        var stored = (await db.QueryAsync<long>("SELECT sequence FROM application_events ORDER BY sequence")).ToList();
        Assert.Equal(stored, received.Select(e => e.Sequence));
        Assert.Equal(marker.ToString("D"), received[0].ApplicationId);
    }

    [Fact]
    public async Task A_watcher_of_all_applications_sees_only_the_callers_own()
    {
        var (server, db, watch) = await OwnServerAsync();
        await using var ownServer = server;
        await using var ownDb = db;
        using var call = watch.AllApplications();
        var own = await CreateAsync(db);
        var others = await CreateAsync(db, OtherUbn);
        await MoveAsync(db, others, "AWAITING_PAYMENT");
        await MoveAsync(db, own, "AWAITING_PAYMENT");

        var received = await WatchStreams.ReadAsync(call, 2);
        Assert.All(received, e => Assert.Equal(own.ToString("D"), e.ApplicationId));
        // The other applicant's events were numbered between ours and skipped, not merely not yet read.
        var othersSequences = await db.QueryAsync<long>(
            "SELECT sequence FROM application_events WHERE application_id = @others", new { others });
        Assert.All(othersSequences, s => Assert.InRange(s, received[0].Sequence, received[1].Sequence));
    }

    [Fact]
    public async Task A_watcher_of_all_applications_reads_past_more_than_a_batch_of_other_applicants_events()
    {
        var (server, db, watch) = await OwnServerAsync();
        await using var ownServer = server;
        await using var ownDb = db;
        using var call = watch.AllApplications();
        var own = await CreateAsync(db);
        // More than Events:WatchBatchSize (100) events of someone else between our two: the read is bounded by
        // sequence, so the stream must carry on past scans that hold none of ours.
        for (var i = 0; i < 150; i++)
            await CreateAsync(db, OtherUbn);
        await MoveAsync(db, own, "AWAITING_PAYMENT");

        var received = await WatchStreams.ReadAsync(call, 2);
        Assert.All(received, e => Assert.Equal(own.ToString("D"), e.ApplicationId));
        Assert.Equal(["RECEIVED", "AWAITING_PAYMENT"], received.Select(e => e.ToState.ToString().ToUpperInvariant() switch
        {
            "RECEIVED" => "RECEIVED",
            "AWAITINGPAYMENT" => "AWAITING_PAYMENT",
            var other => other,
        }));
    }

    [Fact]
    public async Task Another_applicants_application_is_not_found_just_like_one_that_does_not_exist()
    {
        var others = await CreateAsync(db, OtherUbn);
        foreach (var id in new[] { others, Guid.NewGuid() })
        {
            using var call = watch.Application(id);
            await RpcAssert.RefusedAsync(StatusCode.NotFound, "APPLICATION_NOT_FOUND", () => call.ResponseStream.MoveNext());
        }
    }

    [Theory]
    [InlineData("scope", null, null, 0L)]
    [InlineData("all_applications", null, false, 0L)]
    [InlineData("application_id", "not-a-uuid", null, 0L)]
    [InlineData("after_sequence", null, true, -1L)]
    public async Task An_invalid_scope_or_cursor_is_refused_with_a_field_violation(
        string field, string? applicationId, bool? allApplications, long afterSequence)
    {
        var payload = new WatchApplicationPayload { AfterSequence = afterSequence };
        if (applicationId is not null)
            payload.ApplicationId = applicationId;
        if (allApplications is { } all)
            payload.AllApplications = all;
        using var call = watch.Open(payload);
        var e = await RpcAssert.RefusedAsync(StatusCode.InvalidArgument, "WATCH_SCOPE_INVALID", () => call.ResponseStream.MoveNext());
        Assert.Equal([field], RpcAssert.ViolatedFields(e));
    }

    [Fact]
    public async Task The_listener_reconnects_after_its_connection_is_terminated_and_events_still_arrive()
    {
        var listener = server.Services.GetRequiredService<EventNotificationListener>();
        var id = await CreateAsync(db);
        using var call = watch.Application(id);
        await WatchStreams.ReadAsync(call, 1);

        var killed = listener.BackendProcessId;
        Assert.NotEqual(0, killed);
        var terminated = await db.QuerySingleAsync<bool>("SELECT pg_terminate_backend(@killed)", new { killed });
        Assert.True(terminated);
        // Made while the listener may still be down: its reconnect wakes everyone, so it is not lost either way.
        await MoveAsync(db, id, "AWAITING_PAYMENT");

        var received = await WatchStreams.ReadAsync(call, 1, within: TimeSpan.FromSeconds(10));
        Assert.Equal(ApplicationState.AwaitingPayment, received[0].ToState);
        Assert.NotEqual(killed, listener.BackendProcessId);
    }

    internal static void AssertStrictlyIncreasing(IEnumerable<ApplicationEvent> events)
    {
        var sequences = events.Select(e => e.Sequence).ToList();
        for (var i = 1; i < sequences.Count; i++)
            Assert.True(sequences[i] > sequences[i - 1], $"sequence {sequences[i]} came after {sequences[i - 1]}");
    }
}
