using Dapper;
using Npgsql;

namespace RaServer.Tests.Events;

/// <summary>
/// Applications and transitions made straight in SQL, as the workflow will make them: the table's trigger writes the
/// events. Online NEW organisation applications, so the table's CHECK constraints hold.
/// </summary>
internal static class TestApplications
{
    public const string CompanyUbn = "04595252";
    public const string CompanyName = "測試報關股份有限公司";
    public const string OtherUbn = "22099131";

    /// <summary>The states a NEW application passes through to COMPLETED, after RECEIVED.</summary>
    public static readonly string[] PathToCompleted = ["AWAITING_PAYMENT", "AWAITING_KEY", "FORWARDED", "COMPLETED"];

    public static async Task<Guid> CreateAsync(NpgsqlConnection connection, string ubn = CompanyUbn, NpgsqlTransaction? tx = null)
    {
        var id = Guid.NewGuid();
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO applications (id, request_id, channel, service_type, kind, state, applicant_ubn, applicant_name,
                                      subject_name, subject_ubn, notice_email, transition_detail, created_at, updated_at)
            VALUES (@id, @requestId, 'ONLINE', 'NEW', 'ORGANIZATION', 'RECEIVED', @ubn, @name, @name, @ubn,
                    'ra@example.test', 'received online', now(), now())
            """,
            new { id, requestId = Guid.NewGuid().ToString("D"), ubn, name = CompanyName }, transaction: tx));
        return id;
    }

    public static Task MoveAsync(NpgsqlConnection connection, Guid id, string state) =>
        connection.ExecuteAsync(
            "UPDATE applications SET state = @state, transition_detail = @detail, updated_at = now() WHERE id = @id",
            new { id, state, detail = $"to {state}" });

    /// <summary>
    /// A connection for writing applications behind the server's back. No server announces such commits (it does so
    /// only for its own units of work, migration 0020), so this session asks the trigger to NOTIFY as it commits:
    /// the tests' fake clock never lets the sequencer's poll find them.
    /// </summary>
    public static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(RaServer.Storage.ConnectionStrings.WithNotifyInTrigger(connectionString, on: true));
        await connection.OpenAsync();
        return connection;
    }
}
