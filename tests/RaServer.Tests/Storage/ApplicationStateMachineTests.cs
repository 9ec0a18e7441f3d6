using Dapper;
using Npgsql;
using RaServer.Domain;
using RaServer.Tests.Fixtures;

namespace RaServer.Tests.Storage;

/// <summary>The application state machine is enforced where it is stored: a wrong transition is impossible.</summary>
public sealed class ApplicationStateMachineTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static async Task<Guid> InsertAsync(NpgsqlConnection connection, string state = "RECEIVED")
    {
        var id = Guid.NewGuid();
        await connection.ExecuteAsync(
            """
            INSERT INTO applications (id, request_id, channel, service_type, kind, state, applicant_ubn, applicant_name,
                subject_name, subject_ubn, notice_email, created_at, updated_at)
            VALUES (@id, @requestId, 'ONLINE', 'NEW', 'ORGANIZATION', @state, '04595252', '測試報關股份有限公司',
                '測試報關股份有限公司', '04595252', 'a@example.test', now(), now())
            """,
            new { id, requestId = id.ToString(), state });
        return id;
    }

    private static Task MoveAsync(NpgsqlConnection connection, Guid id, string to) =>
        connection.ExecuteAsync("UPDATE applications SET state = @to, updated_at = now() WHERE id = @id", new { id, to });

    [Fact]
    public async Task The_state_machine_in_code_is_the_one_the_database_enforces()
    {
        await using var connection = new NpgsqlConnection(await postgres.CreateDatabaseAsync());
        var stored = (await connection.QueryAsync<(string From, string To)>(
            "SELECT from_state, to_state FROM application_transitions")).ToHashSet();
        var states = (await connection.QueryAsync<(string State, bool Final)>("SELECT state, final FROM application_states")).ToList();

        var inCode = ApplicationStateMachine.Transitions
            .Select(t => (ApplicationStateMachine.Code(t.From), ApplicationStateMachine.Code(t.To))).ToHashSet();
        Assert.Equal(stored.OrderBy(t => t), inCode.OrderBy(t => t));
        Assert.Equal(states.Select(s => s.State).Order(), Enum.GetValues<ApplicationStatus>().Select(ApplicationStateMachine.Code).Order());
        Assert.All(states, s => Assert.Equal(s.Final, ApplicationStateMachine.IsFinal(ApplicationStateMachine.Parse(s.State))));
    }

    [Fact]
    public void A_name_that_is_not_a_state_does_not_parse()
    {
        Assert.Equal(ApplicationStatus.AwaitingKey, ApplicationStateMachine.Parse("AWAITING_KEY"));
        Assert.Throws<ArgumentException>(() => ApplicationStateMachine.Parse("AwaitingKey"));
        Assert.Throws<ArgumentException>(() => ApplicationStateMachine.Parse(""));
    }

    [Theory]
    [InlineData("RECEIVED", "COMPLETED")]
    [InlineData("RECEIVED", "AWAITING_KEY")]
    [InlineData("AWAITING_PAYMENT", "FORWARDED")]
    [InlineData("REJECTED", "AWAITING_PAYMENT")]
    [InlineData("CANCELLED", "AWAITING_KEY")]
    public async Task A_transition_outside_the_state_machine_is_refused_by_the_database(string from, string to)
    {
        await using var connection = new NpgsqlConnection(await postgres.CreateDatabaseAsync());
        var id = await InsertAsync(connection);
        var path = from switch
        {
            "RECEIVED" => Array.Empty<string>(),
            "AWAITING_PAYMENT" => ["AWAITING_PAYMENT"],
            "REJECTED" => ["REJECTED"],
            "CANCELLED" => ["AWAITING_PAYMENT", "CANCELLED"],
            _ => throw new ArgumentOutOfRangeException(nameof(from)),
        };
        foreach (var step in path)
            await MoveAsync(connection, id, step);

        var e = await Assert.ThrowsAsync<PostgresException>(() => MoveAsync(connection, id, to));
        Assert.Equal("RA001", e.SqlState);
        Assert.Equal(from, await connection.ExecuteScalarAsync<string>("SELECT state FROM applications WHERE id = @id", new { id }));
    }

    [Fact]
    public async Task An_application_starts_received_and_every_transition_writes_one_event()
    {
        await using var connection = new NpgsqlConnection(await postgres.CreateDatabaseAsync());
        await Assert.ThrowsAsync<PostgresException>(() => InsertAsync(connection, state: "AWAITING_KEY"));

        var id = await InsertAsync(connection);
        foreach (var step in new[] { "AWAITING_PAYMENT", "AWAITING_KEY", "FORWARDED", "COMPLETED" })
            await MoveAsync(connection, id, step);

        var events = (await connection.QueryAsync<(string? From, string To)>(
            "SELECT from_state, to_state FROM application_events WHERE application_id = @id ORDER BY id", new { id })).ToList();
        Assert.Equal(
            [(null, "RECEIVED"), ("RECEIVED", "AWAITING_PAYMENT"), ("AWAITING_PAYMENT", "AWAITING_KEY"), ("AWAITING_KEY", "FORWARDED"), ("FORWARDED", "COMPLETED")],
            events);
    }
}
