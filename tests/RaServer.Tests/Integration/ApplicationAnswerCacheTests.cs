using Customs.Ra.V1;
using Dapper;
using Grpc.Core;
using Npgsql;
using Ra.Client.Signing;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;

namespace RaServer.Tests.Integration;

/// <summary>
/// GetApplication's per-replica answer cache (lever 6) never serves an answer that is no longer true, even before the
/// replica hears of the change: with the sequencer held, no notification reaches any replica, so only the cache's
/// validity check stands between a kept answer and the caller. Each of the first three fails when that check is removed.
/// </summary>
public sealed class ApplicationAnswerCacheTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task A_payment_through_one_replica_is_seen_at_once_on_the_other_before_any_notification()
    {
        await using var replicaA = await RaServerHarness.StartAsync(postgres);
        await using var replicaB = await RaServerHarness.StartAsync(postgres, connectionString: replicaA.ConnectionString);
        var onA = new WorkflowScenario(replicaA);
        var onB = new WorkflowScenario(replicaB);
        await onA.LoadRegistryAsync();
        var submitted = await onA.SubmitAsync(WorkflowScenario.Content(ServiceType.New, CertificateKind.Organization));
        await KeepAsync(onB, submitted.ApplicationId, replicaA.ConnectionString);

        await using (await HoldSequencerAsync(replicaA.ConnectionString))
        {
            await onA.PayAsync(submitted.PaymentSlip);
            var read = await onB.GetAsync(submitted.ApplicationId);
            Assert.Equal(ApplicationState.AwaitingKey, read.State);
            Assert.Equal(PaymentSlipStatus.Paid, read.PaymentSlip.Status);
        }
    }

    [Fact]
    public async Task A_move_written_behind_the_replicas_back_is_seen_at_once_on_that_replica()
    {
        await using var server = await RaServerHarness.StartAsync(postgres);
        var scenario = new WorkflowScenario(server);
        await scenario.LoadRegistryAsync();
        var submitted = await scenario.SubmitAsync(WorkflowScenario.Content(ServiceType.New, CertificateKind.Organization));
        await KeepAsync(scenario, submitted.ApplicationId, server.ConnectionString);

        await using (await HoldSequencerAsync(server.ConnectionString))
        {
            // A tool's write: not this replica's unit of work, so nothing tells its cache.
            await using (var tool = new NpgsqlConnection(server.ConnectionString))
                await tool.ExecuteAsync(
                    "UPDATE applications SET state = 'CANCELLED', transition_detail = 'by a tool', updated_at = now() WHERE id = @id",
                    new { id = Guid.Parse(submitted.ApplicationId) });
            Assert.Equal(ApplicationState.Cancelled, (await scenario.GetAsync(submitted.ApplicationId)).State);
        }
    }

    [Fact]
    public async Task A_slip_changed_without_a_state_move_is_seen_at_once()
    {
        await using var server = await RaServerHarness.StartAsync(postgres);
        var scenario = new WorkflowScenario(server);
        await scenario.LoadRegistryAsync();
        var submitted = await scenario.SubmitAsync(WorkflowScenario.Content(ServiceType.New, CertificateKind.Organization));
        await KeepAsync(scenario, submitted.ApplicationId, server.ConnectionString);

        // No event at all: only the slip row's version says the answer changed.
        await using (var tool = new NpgsqlConnection(server.ConnectionString))
            await tool.ExecuteAsync("UPDATE payment_slips SET due_at = due_at + interval '1 day' WHERE application_id = @id",
                new { id = Guid.Parse(submitted.ApplicationId) });
        var read = await scenario.GetAsync(submitted.ApplicationId);
        Assert.Equal(submitted.PaymentSlip.DueAt.ToDateTime().AddDays(1), read.PaymentSlip.DueAt.ToDateTime());
    }

    [Fact]
    public async Task A_payment_through_the_same_replica_is_seen_by_its_next_read()
    {
        await using var server = await RaServerHarness.StartAsync(postgres);
        var scenario = new WorkflowScenario(server);
        await scenario.LoadRegistryAsync();
        var submitted = await scenario.SubmitAsync(WorkflowScenario.Content(ServiceType.New, CertificateKind.Organization));
        await KeepAsync(scenario, submitted.ApplicationId, server.ConnectionString);

        await scenario.PayAsync(submitted.PaymentSlip);
        var read = await scenario.GetAsync(submitted.ApplicationId);
        Assert.Equal(ApplicationState.AwaitingKey, read.State);
        Assert.Equal(PaymentSlipStatus.Paid, read.PaymentSlip.Status);
    }

    [Fact]
    public async Task Another_applicants_key_gets_not_found_for_an_application_whose_answer_is_kept()
    {
        await using var server = await RaServerHarness.StartAsync(postgres);
        var scenario = new WorkflowScenario(server);
        await scenario.LoadRegistryAsync();
        var submitted = await scenario.SubmitAsync(WorkflowScenario.Content(ServiceType.New, CertificateKind.Organization));
        await KeepAsync(scenario, submitted.ApplicationId, server.ConnectionString);

        await RpcAssert.RefusedAsync(StatusCode.NotFound, "APPLICATION_NOT_FOUND", () => scenario.Applicants.GetApplicationAsync(
            new GetApplicationRequest
            {
                Envelope = server.BrokerSigner().Sign(new GetApplicationPayload
                {
                    Header = RequestSigner.PersonHeader(WorkflowScenario.BrokerId, WorkflowScenario.BrokerName),
                    ApplicationId = submitted.ApplicationId,
                }),
            }).ResponseAsync);
    }

    [Fact]
    public async Task With_the_cache_off_GetApplication_answers_as_before()
    {
        await using var server = await RaServerHarness.StartAsync(postgres, configure: s => s["Api:ApplicationAnswerCache"] = "false");
        var scenario = new WorkflowScenario(server);
        await scenario.LoadRegistryAsync();
        var submitted = await scenario.SubmitAsync(WorkflowScenario.Content(ServiceType.New, CertificateKind.Organization));
        await scenario.PayAsync(submitted.PaymentSlip);
        Assert.Equal(ApplicationState.AwaitingKey, (await scenario.GetAsync(submitted.ApplicationId)).State);
    }

    /// <summary>
    /// Reads the application on <paramref name="scenario"/>'s replica once every event is numbered and announced, so
    /// the answer it keeps is the latest and no late notification drops it before the change the test makes.
    /// </summary>
    private static async Task KeepAsync(WorkflowScenario scenario, string applicationId, string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM application_events WHERE sequence IS NULL") > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the events were never numbered");
            await Task.Delay(20);
        }
        var highest = await connection.ExecuteScalarAsync<long>("SELECT max(sequence) FROM application_events");
        while ((await scenario.GetAsync(applicationId)).LastEventSequence != highest)
        {
            Assert.True(DateTime.UtcNow < deadline, "the answer never showed the last event");
            await Task.Delay(20);
        }
        await Task.Delay(300); // the fan-out's drop for that last numbering, if it is still on its way
        await scenario.GetAsync(applicationId);
    }

    /// <summary>
    /// Holds the event_sequencer row, so no round numbers events and no replica is notified, until disposed.
    /// </summary>
    private static async Task<IAsyncDisposable> HoldSequencerAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tx = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync("SELECT last_sequence FROM event_sequencer FOR UPDATE", transaction: tx);
        return new Held(connection, tx);
    }

    private sealed class Held(NpgsqlConnection connection, NpgsqlTransaction tx) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await tx.RollbackAsync();
            await connection.DisposeAsync();
        }
    }
}
