using Dapper;
using Npgsql;
using RaServer.Policy;
using RaServer.Workflow;

namespace RaServer.Storage;

/// <summary>
/// Whether a licensed broker may act for a firm today: his licence is ACTIVE and he has a mandate with that firm
/// covering today's Taiwan date. Registration and message verification ask the same question.
/// </summary>
internal static class HolderQualification
{

    public static Task<bool> BrokerMayActForAsync(
        NpgsqlConnection connection, NpgsqlTransaction? tx, string? nationalId, string firmUbn, DateTimeOffset now, CancellationToken ct) =>
        connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            """
            SELECT EXISTS (
                SELECT 1 FROM broker_staff s JOIN mandates m ON m.national_id = s.national_id
                WHERE s.national_id = @nationalId AND s.status = 'ACTIVE' AND m.firm_ubn = @firmUbn::bpchar
                  AND m.start_date <= @today AND (m.end_date IS NULL OR m.end_date >= @today))
            """,
            new { nationalId, firmUbn, today = Policy.TaiwanTime.DateOf(now).ToDateTime(TimeOnly.MinValue) }, tx, cancellationToken: ct));
}
