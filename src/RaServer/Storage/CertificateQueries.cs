using Dapper;
using Npgsql;
using RaServer.Domain;

namespace RaServer.Storage;

/// <summary>Reads of the RA's certificates for their owners.</summary>
public sealed class CertificateQueries(NpgsqlDataSource dataSource)
{
    /// <summary>The certificate by serial or by the application that obtained it, if the applicant owns it.</summary>
    public async Task<CertificateRow?> FindOwnedAsync(string? serialHex, Guid? applicationId, ApplicantKey applicant, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<CertificateRow>(new CommandDefinition(
            $"""
            SELECT {RowColumns.Certificate} FROM certificates c
            WHERE (c.serial_hex = @serialHex OR c.issued_for_application = @applicationId)
              AND (c.owner_ubn = @Ubn::bpchar OR c.owner_national_id = @NationalId OR c.holder_national_id = @NationalId)
            """,
            new { serialHex, applicationId, applicant.Ubn, applicant.NationalId }, cancellationToken: ct));
    }

    /// <summary>
    /// The first <paramref name="limit"/> of the caller's customs-dedicated certificates, newest first: those it
    /// obtained, and for a firm those registered with it (a transferred broker's certificate). EXPIRED is derived from
    /// the date. The caller pages through them (a certificate list is short: a firm's staff).
    /// </summary>
    public async Task<IReadOnlyList<CertificateRow>> ListNewestAsync(
        ApplicantKey applicant, string? state, string? kind, int limit, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<CertificateRow>(new CommandDefinition(
            $"""
            SELECT {RowColumns.Certificate} FROM certificates c
            WHERE (c.owner_ubn = @Ubn::bpchar OR c.registered_firm_ubn = @Ubn::bpchar
                   OR c.owner_national_id = @NationalId OR c.holder_national_id = @NationalId)
              AND (@kind::text IS NULL OR c.kind = @kind)
              AND (@state::text IS NULL
                   OR (@state = 'EXPIRED' AND c.state = 'ACTIVE' AND c.not_after <= @now)
                   OR (@state = 'ACTIVE' AND c.state = 'ACTIVE' AND c.not_after > @now)
                   OR (@state NOT IN ('EXPIRED', 'ACTIVE') AND c.state = @state))
            ORDER BY c.created_at DESC, c.serial_hex
            LIMIT @limit
            """,
            new { applicant.Ubn, applicant.NationalId, kind, state, now, limit }, cancellationToken: ct))).AsList();
    }

    /// <summary>
    /// The government PKI certificates the caller holds or that are registered for its firm, newest registration first.
    /// Their state comes from their CA's CRL, which the caller judges, so every one is returned.
    /// </summary>
    public async Task<IReadOnlyList<GovernmentCertificateRow>> ListGovernmentAsync(ApplicantKey applicant, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<GovernmentCertificateRow>(new CommandDefinition(
            $"""
            SELECT {GovernmentCertificateStore.Columns} FROM government_certificates g
            WHERE g.holder_ubn = @Ubn::bpchar OR g.registered_firm_ubn = @Ubn::bpchar OR g.holder_national_id = @NationalId
            ORDER BY g.registered_at DESC, g.sha256
            """,
            new { applicant.Ubn, applicant.NationalId }, cancellationToken: ct))).AsList();
    }
}
