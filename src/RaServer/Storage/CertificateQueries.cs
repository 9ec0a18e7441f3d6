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
    /// A page of the caller's certificates, newest first: those it obtained, and for a firm those registered with
    /// it (a transferred broker's certificate). EXPIRED is derived from the date.
    /// </summary>
    public async Task<(IReadOnlyList<CertificateRow> Rows, string NextPageToken)> ListAsync(
        ApplicantKey applicant, string? state, string? kind, int pageSize, string pageToken, DateTimeOffset now, CancellationToken ct)
    {
        if (pageSize < 0)
            throw RaException.InvalidField("PAGE_SIZE_INVALID", "page_size", "page_size must not be negative");
        var size = pageSize == 0 ? ApplicationQueries.DefaultPageSize : Math.Min(pageSize, ApplicationQueries.MaxPageSize);
        var offset = 0;
        if (pageToken.Length > 0 && (!int.TryParse(pageToken, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out offset) || offset < 0))
            throw RaException.InvalidField("PAGE_TOKEN_INVALID", "page_token", "the page token is not one this server issued");
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<CertificateRow>(new CommandDefinition(
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
            OFFSET @offset LIMIT @limit
            """,
            new { applicant.Ubn, applicant.NationalId, kind, state, now, offset, limit = size + 1 }, cancellationToken: ct))).ToList();
        // A certificate list is short (a firm's staff); an offset token is simple and stable enough for it.
        var next = "";
        if (rows.Count > size)
        {
            rows.RemoveAt(size);
            next = (offset + size).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return (rows, next);
    }
}
