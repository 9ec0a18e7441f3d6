using System.Buffers.Binary;
using Dapper;
using Npgsql;
using RaServer.Domain;

namespace RaServer.Storage;

/// <summary>Reads of applications for their applicants: one by id, or a page of them newest first.</summary>
public sealed class ApplicationQueries(NpgsqlDataSource dataSource)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    /// <summary>
    /// The application with its payment slip (if one was issued) in one round trip, or null when it does not exist
    /// or belongs to someone else (so ids cannot be probed). This is the applicants' most frequent read.
    /// </summary>
    public async Task<(ApplicationRow Application, PaymentSlipRow? Slip)?> GetWithSlipAsync(Guid id, ApplicantKey applicant, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand(GetWithSlipSql, connection);
        command.Parameters.Add(new NpgsqlParameter<Guid>("id", id));
        command.Parameters.Add(new NpgsqlParameter("ubn", NpgsqlTypes.NpgsqlDbType.Char) { Value = (object?)applicant.Ubn ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("nationalId", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)applicant.NationalId ?? DBNull.Value });
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
            return null;
        return (ApplicationRowReader.Application(reader), ApplicationRowReader.Slip(reader));
    }

    internal const string GetWithSlipSql = $"""
        SELECT {RowColumns.Application}, {RowColumns.PaymentSlip}
        FROM applications a LEFT JOIN payment_slips s ON s.application_id = a.id
        WHERE a.id = @id
          AND (a.applicant_ubn = @ubn OR a.applicant_national_id = @nationalId)
        """;

    /// <summary>A page of the applicant's own applications, newest first.</summary>
    public Task<(IReadOnlyList<ApplicationRow> Rows, string NextPageToken)> ListAsync(
        ApplicantKey applicant, string? state, string? serviceType, int pageSize, string pageToken, CancellationToken ct) =>
        PageAsync(
            "(a.applicant_ubn = @Ubn::bpchar OR a.applicant_national_id = @NationalId) AND (@serviceType::text IS NULL OR a.service_type = @serviceType)",
            new DynamicParameters(new { applicant.Ubn, applicant.NationalId, serviceType }), state, pageSize, pageToken, ct);

    /// <summary>
    /// A page of the paper applications a customs office took in, newest first. Online applications have no
    /// receiving office, so they never appear, whichever office their operator is registered with.
    /// </summary>
    public Task<(IReadOnlyList<ApplicationRow> Rows, string NextPageToken)> ListForOfficeAsync(
        string officeCode, string? state, string? channel, int pageSize, string pageToken, CancellationToken ct) =>
        PageAsync(
            "a.receiving_office_code = @officeCode AND (@channel::text IS NULL OR a.channel = @channel)",
            new DynamicParameters(new { officeCode, channel }), state, pageSize, pageToken, ct);

    private async Task<(IReadOnlyList<ApplicationRow> Rows, string NextPageToken)> PageAsync(
        string scope, DynamicParameters parameters, string? state, int pageSize, string pageToken, CancellationToken ct)
    {
        if (pageSize < 0)
            throw RaException.InvalidField("PAGE_SIZE_INVALID", "page_size", "page_size must not be negative");
        var size = pageSize == 0 ? DefaultPageSize : Math.Min(pageSize, MaxPageSize);
        var after = DecodePageToken(pageToken);
        parameters.AddDynamicParams(new { state, afterCreated = after?.CreatedAt, afterId = after?.Id ?? Guid.Empty, limit = size + 1 });
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<ApplicationRow>(new CommandDefinition(
            $"""
            SELECT {RowColumns.Application} FROM applications a
            WHERE {scope}
              AND (@state::text IS NULL OR a.state = @state)
              AND (@afterCreated::timestamptz IS NULL OR (a.created_at, a.id) < (@afterCreated, @afterId))
            ORDER BY a.created_at DESC, a.id DESC
            LIMIT @limit
            """,
            parameters, cancellationToken: ct))).ToList();

        var next = "";
        if (rows.Count > size)
        {
            rows.RemoveAt(size);
            next = EncodePageToken(rows[^1].CreatedAt, rows[^1].Id);
        }
        return (rows, next);
    }

    // The token is the keyset position of the last row served: opaque to clients, stable under inserts.
    private static string EncodePageToken(DateTime createdAt, Guid id)
    {
        Span<byte> bytes = stackalloc byte[24];
        BinaryPrimitives.WriteInt64BigEndian(bytes, createdAt.ToUniversalTime().Ticks);
        id.TryWriteBytes(bytes[8..]);
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private static (DateTime CreatedAt, Guid Id)? DecodePageToken(string token)
    {
        if (string.IsNullOrEmpty(token))
            return null;
        try
        {
            var padded = token.Replace('-', '+').Replace('_', '/') + new string('=', (4 - token.Length % 4) % 4);
            var bytes = Convert.FromBase64String(padded);
            if (bytes.Length != 24)
                throw new FormatException();
            return (new DateTime(BinaryPrimitives.ReadInt64BigEndian(bytes), DateTimeKind.Utc), new Guid(bytes.AsSpan(8)));
        }
        catch (Exception e) when (e is FormatException or ArgumentOutOfRangeException)
        {
            throw RaException.InvalidField("PAGE_TOKEN_INVALID", "page_token", "the page token is not one this server issued");
        }
    }
}
