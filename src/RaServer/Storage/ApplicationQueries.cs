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
        await using var command = ApplicantsApplicationCommand(GetWithSlipSql, connection, id, applicant);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
            return null;
        return (ApplicationRowReader.Application(reader), ApplicationRowReader.Slip(reader));
    }

    // The parameters of both reads of one applicant's application: its id and the applicant's UBN or national ID.
    private static NpgsqlCommand ApplicantsApplicationCommand(string sql, NpgsqlConnection connection, Guid id, ApplicantKey applicant)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter<Guid>("id", id));
        command.Parameters.Add(new NpgsqlParameter("ubn", NpgsqlTypes.NpgsqlDbType.Char) { Value = (object?)applicant.Ubn ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("nationalId", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)applicant.NationalId ?? DBNull.Value });
        return command;
    }

    internal const string GetWithSlipSql = $"""
        SELECT {RowColumns.Application}, {RowColumns.PaymentSlip}
        FROM applications a LEFT JOIN payment_slips s ON s.application_id = a.id
        WHERE a.id = @id
          AND (a.applicant_ubn = @ubn OR a.applicant_national_id = @nationalId)
        """;

    /// <summary>
    /// <see cref="GetWithSlipAsync"/> with the answer's version read in the same statement (so from the same snapshot),
    /// for <c>ApplicationAnswerCache</c> to keep next to the answer.
    /// </summary>
    public async Task<(ApplicationRow Application, PaymentSlipRow? Slip, ApplicationAnswerVersion Version)?> GetVersionedAsync(
        Guid id, ApplicantKey applicant, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = ApplicantsApplicationCommand(GetVersionedSql, connection, id, applicant);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
            return null;
        var row = ApplicationRowReader.Application(reader);
        var version = new ApplicationAnswerVersion(reader.GetFieldValue<uint>(VersionOffset),
            reader.IsDBNull(VersionOffset + 1) ? null : reader.GetFieldValue<uint>(VersionOffset + 1), row.LastEventSequence);
        return (row, ApplicationRowReader.Slip(reader), version);
    }

    /// <summary>The current version of the application's answer, or null when the application does not exist.</summary>
    public async Task<ApplicationAnswerVersion?> ReadVersionAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand(ReadVersionSql, connection);
        command.Parameters.Add(new NpgsqlParameter<Guid>("id", id));
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
            return null;
        return new ApplicationAnswerVersion(reader.GetFieldValue<uint>(0),
            reader.IsDBNull(1) ? null : reader.GetFieldValue<uint>(1), reader.GetInt64(2));
    }

    private const int VersionOffset = ApplicationRowReader.SlipOffset + 8;

    internal const string GetVersionedSql = $"""
        SELECT {RowColumns.Application}, {RowColumns.PaymentSlip}, a.xmin, s.xmin
        FROM applications a LEFT JOIN payment_slips s ON s.application_id = a.id
        WHERE a.id = @id
          AND (a.applicant_ubn = @ubn OR a.applicant_national_id = @nationalId)
        """;

    // The same last-event expression as RowColumns.Application, so a cached answer and its check agree on it.
    internal const string ReadVersionSql = """
        SELECT a.xmin, s.xmin, COALESCE((SELECT max(e.sequence) FROM application_events e WHERE e.application_id = a.id), 0)
        FROM applications a LEFT JOIN payment_slips s ON s.application_id = a.id
        WHERE a.id = @id
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
