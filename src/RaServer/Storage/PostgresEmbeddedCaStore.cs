using CaConnector;
using EmbeddedCa;
using Dapper;
using Npgsql;

namespace RaServer.Storage;

/// <summary>
/// The embedded CA's state in PostgreSQL (db/migrations/0007_embedded_ca.sql; 0037 for keys held in a token). Races between replicas are settled by
/// the database: an advisory lock for first-time key creation and per request key, row locks for status changes and
/// the CRL number.
/// </summary>
public sealed class PostgresEmbeddedCaStore(NpgsqlDataSource dataSource) : IEmbeddedCaStore
{
    // Fixed, shared by every replica: "RA" "ECAK" in ASCII.
    private const long MaterialLockKey = 0x5241_4543_414B;

    private const string CertificateColumns =
        "serial AS Serial, request_key AS RequestKey, kind AS Kind, subject AS Subject, der AS Der, not_before AS NotBefore, not_after AS NotAfter";

    private volatile PublishedCrl? _servedCrl;
    private readonly ListedCertificates _listed = new();

    public async Task<StoredCaMaterial> LoadOrCreateMaterialAsync(Func<StoredCaMaterial> create, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (await ReadMaterialAsync(connection, null, cancellationToken) is { } existing)
            return existing;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@key)", new { key = MaterialLockKey }, transaction, cancellationToken: cancellationToken));
        // Another replica may have made the CA while this one waited for the lock.
        if (await ReadMaterialAsync(connection, transaction, cancellationToken) is { } madeMeanwhile)
            return madeMeanwhile;
        var made = create();
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO embedded_ca_material (id, key_algorithm, key_source, root_certificate, root_key_pem, issuing_certificate, issuing_key_pem,
                                              cmp_signer_certificate, cmp_signer_key_pem, created_at)
            VALUES (1, @KeyAlgorithm, @KeySource, @RootCertificate, @RootKeyPem, @IssuingCertificate, @IssuingKeyPem,
                    @CmpSignerCertificate, @CmpSignerKeyPem, @CreatedAt)
            """,
            new
            {
                KeyAlgorithm = made.KeyAlgorithm.ToString(), KeySource = made.KeySource.ToString(), made.RootCertificate, made.RootKeyPem, made.IssuingCertificate, made.IssuingKeyPem,
                made.CmpSignerCertificate, made.CmpSignerKeyPem, made.CreatedAt,
            },
            transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return made;
    }

    public async Task<(IssuedCertificate Certificate, bool Created)> IssueOnceAsync(string requestKey, Func<IssuedCertificate> sign, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Lock first, then look, as two statements: in READ COMMITTED the SELECT's snapshot is taken after the lock is
        // granted, so it sees a certificate another replica committed while this one waited. Sent in one round trip.
        using var lookup = await connection.QueryMultipleAsync(new CommandDefinition(
            $"""
            SELECT pg_advisory_xact_lock(hashtextextended(@requestKey, 0));
            SELECT {CertificateColumns} FROM embedded_ca_certificates WHERE request_key = @requestKey;
            """,
            new { requestKey }, transaction, cancellationToken: cancellationToken));
        await lookup.ReadAsync();
        var existing = (await lookup.ReadAsync<CertificateRow>()).SingleOrDefault();
        if (existing is not null)
            return (existing.ToIssued(), false);

        var issued = sign();
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO embedded_ca_certificates (serial, request_key, kind, subject, der, not_before, not_after, issued_at)
            VALUES (@Serial, @RequestKey, @Kind, @Subject, @Der, @NotBefore, @NotAfter, now())
            """,
            new { issued.Serial, issued.RequestKey, Kind = issued.Kind.ToString(), issued.Subject, issued.Der, issued.NotBefore, issued.NotAfter },
            transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return (issued, true);
    }

    public async Task<IssuedCertificate?> FindByRequestKeyAsync(string requestKey, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<CertificateRow>(new CommandDefinition(
            $"SELECT {CertificateColumns} FROM embedded_ca_certificates WHERE request_key = @requestKey",
            new { requestKey }, cancellationToken: cancellationToken));
        return row?.ToIssued();
    }

    public async Task<StatusDecision?> ChangeStatusAsync(byte[] serial, StatusRequest request, RevocationReason reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var current = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT status FROM embedded_ca_certificates WHERE serial = @serial FOR UPDATE",
            new { serial }, transaction, cancellationToken: cancellationToken));
        if (current is null)
            return null;
        var decision = RevocationRules.Decide(Enum.Parse<CertificateStatus>(current), request);
        if (decision.Outcome != StatusOutcome.Change)
            return decision;

        var (storedReason, revokedAt) = decision.NewStatus switch
        {
            CertificateStatus.Active => ((short?)null, (DateTimeOffset?)null),
            CertificateStatus.Held => ((short)RevocationReason.CertificateHold, now),
            _ => ((short)reason, now),
        };
        // The change takes the next number of the status counter (migration 0035), so CRL publishers read only what changed.
        await connection.ExecuteAsync(new CommandDefinition(
            """
            WITH change AS (UPDATE embedded_ca_status_counter SET last_change = last_change + 1 WHERE id = 1 RETURNING last_change)
            UPDATE embedded_ca_certificates
            SET status = @status, revocation_reason = @storedReason, revoked_at = @revokedAt, status_change = (SELECT last_change FROM change)
            WHERE serial = @serial
            """,
            new { serial, status = decision.NewStatus.ToString(), storedReason, revokedAt }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return decision;
    }

    public async Task<PublishedCrl> PublishCrlAsync(Func<long, IReadOnlyList<RevokedCertificate>, PublishedCrl> sign, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Taking the number locks the row until commit: publishers queue here, and each then reads every change committed before it.
        var number = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "UPDATE embedded_ca_crl SET crl_number = crl_number + 1 WHERE id = 1 RETURNING crl_number",
            transaction: transaction, cancellationToken: cancellationToken));
        var entries = await _listed.CurrentAsync(connection, transaction, cancellationToken);
        var crl = sign(number, entries);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE embedded_ca_crl SET this_update = @ThisUpdate, next_update = @NextUpdate, der = @Der WHERE id = 1",
            new { crl.ThisUpdate, crl.NextUpdate, crl.Der }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        // Served by this replica at once, without fetching back the megabytes it has just written.
        if (_servedCrl is not { } served || served.CrlNumber < crl.CrlNumber)
            _servedCrl = crl;
        return crl;
    }

    /// <summary>Fetches the DER only when the number changed since the last call, so serving a large CRL stays cheap.</summary>
    public async Task<PublishedCrl?> LatestCrlAsync(CancellationToken cancellationToken)
    {
        var cached = _servedCrl;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<CrlRow>(new CommandDefinition(
            """
            SELECT crl_number AS CrlNumber, this_update AS ThisUpdate, next_update AS NextUpdate,
                   CASE WHEN crl_number = @cachedNumber THEN NULL ELSE der END AS Der
            FROM embedded_ca_crl WHERE id = 1
            """,
            new { cachedNumber = cached?.CrlNumber ?? -1 }, cancellationToken: cancellationToken));
        if (row.ThisUpdate is null)
            return null;
        if (row.Der is null && cached is not null)
            return cached;
        var latest = new PublishedCrl(row.CrlNumber, Utc(row.ThisUpdate.Value), Utc(row.NextUpdate!.Value), row.Der!);
        _servedCrl = latest;
        return latest;
    }

    private static async Task<StoredCaMaterial?> ReadMaterialAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<MaterialRow>(new CommandDefinition(
            """
            SELECT key_algorithm AS KeyAlgorithm, key_source AS KeySource, root_certificate AS RootCertificate, root_key_pem AS RootKeyPem,
                   issuing_certificate AS IssuingCertificate, issuing_key_pem AS IssuingKeyPem,
                   cmp_signer_certificate AS CmpSignerCertificate, cmp_signer_key_pem AS CmpSignerKeyPem, created_at AS CreatedAt
            FROM embedded_ca_material WHERE id = 1
            """,
            transaction: transaction, cancellationToken: cancellationToken));
        return row is null ? null : new StoredCaMaterial(
            Enum.Parse<CaKeyAlgorithm>(row.KeyAlgorithm), Enum.Parse<CaKeySourceKind>(row.KeySource), row.RootCertificate, row.RootKeyPem, row.IssuingCertificate, row.IssuingKeyPem,
            row.CmpSignerCertificate, row.CmpSignerKeyPem, Utc(row.CreatedAt));
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private sealed record MaterialRow(string KeyAlgorithm, string KeySource, byte[] RootCertificate, string? RootKeyPem, byte[] IssuingCertificate,
        string? IssuingKeyPem, byte[] CmpSignerCertificate, string? CmpSignerKeyPem, DateTime CreatedAt);

    private sealed record CertificateRow(byte[] Serial, string RequestKey, string Kind, string Subject, byte[] Der, DateTime NotBefore, DateTime NotAfter)
    {
        public IssuedCertificate ToIssued() => new(Serial, RequestKey, Enum.Parse<CertificateKind>(Kind), Subject, Der, Utc(NotBefore), Utc(NotAfter));
    }

    private sealed record CrlRow(long CrlNumber, DateTime? ThisUpdate, DateTime? NextUpdate, byte[]? Der);
}
