using Dapper;
using Npgsql;

using RaServer.Domain;

namespace RaServer.Storage;

/// <summary>
/// Whether a licensed broker may act for a firm today: his licence is ACTIVE and he has a mandate with that firm
/// covering today's Taiwan date. Registration and message verification ask the same question.
/// </summary>
public sealed class HolderQualification(NpgsqlConnection connection, NpgsqlTransaction? tx)
{
    public Task<bool> BrokerMayActForAsync(
        string? nationalId, string firmUbn, DateTimeOffset now, CancellationToken ct) =>
        connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            """
            SELECT EXISTS (
                SELECT 1 FROM broker_staff s JOIN mandates m ON m.national_id = s.national_id
                WHERE s.national_id = @nationalId AND s.status = 'ACTIVE' AND m.firm_ubn = @firmUbn::bpchar
                  AND m.start_date <= @today AND (m.end_date IS NULL OR m.end_date >= @today))
            """,
            new { nationalId, firmUbn, today = TaiwanTime.DateOf(now).ToDateTime(TimeOnly.MinValue) }, tx, cancellationToken: ct));

    /// <summary>Whether the operator is registered and ACTIVE: an organization certificate acts for its own firm only.</summary>
    public Task<bool> OperatorActiveAsync(string firmUbn, CancellationToken ct) =>
        connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM operators WHERE ubn = @firmUbn::bpchar AND status = 'ACTIVE')",
            new { firmUbn }, tx, cancellationToken: ct));
}
