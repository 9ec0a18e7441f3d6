using Dapper;
using Npgsql;

namespace RaServer.Applications;

/// <summary>Reads of the RA's certificates for their owners.</summary>
public sealed class CertificateQueries(NpgsqlDataSource dataSource)
{
    /// <summary>The certificate by serial or by the application that obtained it, if the applicant owns it.</summary>
    public async Task<CertificateRow?> FindOwnedAsync(string? serialHex, Guid? applicationId, ApplicantKey applicant, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<CertificateRow>(new CommandDefinition(
            $"""
            SELECT {CertificateRow.Columns} FROM certificates c
            WHERE (c.serial_hex = @serialHex OR c.issued_for_application = @applicationId)
              AND (c.owner_ubn = @Ubn::bpchar OR c.owner_national_id = @NationalId OR c.holder_national_id = @NationalId)
            """,
            new { serialHex, applicationId, applicant.Ubn, applicant.NationalId }, cancellationToken: ct));
    }
}
