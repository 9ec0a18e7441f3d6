using Dapper;
using Npgsql;
using RaServer.Domain;
using RaServer.Policy;

namespace RaServer.Storage;

/// <summary>What one sealing round did.</summary>
/// <param name="Sealed">Rows given a chain position this round.</param>
/// <param name="HeadPosition">The chain's last position after the round (0 for an empty chain).</param>
/// <param name="Checkpoint">The checkpoint signed this round, if one was due.</param>
public sealed record SealRound(int Sealed, long HeadPosition, AuditCheckpoint? Checkpoint);

/// <summary>The chain's head and its last checkpoint, as the sealer sees them when deciding on a checkpoint.</summary>
public sealed record AuditHead(long Position, byte[] Hash, long LastCheckpointPosition, DateTimeOffset? LastCheckpointAt);

/// <summary>
/// The audit log's chain (audit_log's chain columns) and its checkpoints (audit_checkpoints): sealing rows the
/// change transactions wrote unchained, and reading the chain back for verification and export.
/// </summary>
public sealed class AuditChainStore(NpgsqlDataSource dataSource)
{
    /// <summary>A store over a data source of its own, for the `audit` commands, which run without the server's services.</summary>
    public static OwnedAuditChainStore Open(string connectionString) => new(NpgsqlDataSource.Create(connectionString));

    /// <summary>The transaction advisory lock that lets one sealer at a time extend the chain, whichever replica.</summary>
    private const long SealerLockKey = 0x5241_4155_4449_5401; // "RAAUDIT", 1

    private const string EntryColumns =
        "chain_position, id, occurred_at, actor, rpc, outcome, reason, detail::text, refusal_id, prev_hash, row_hash";

    /// <summary>
    /// Seals up to <paramref name="batchSize"/> committed unchained rows in id order, then asks
    /// <paramref name="checkpointIfDue"/> whether to sign a checkpoint of the new head; all in one transaction, under
    /// the sealer's lock. Null when another replica's sealer holds the lock (it is doing this round).
    /// </summary>
    public async Task<SealRound?> SealAsync(int batchSize, Func<AuditHead, AuditCheckpoint?> checkpointIfDue, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT pg_try_advisory_xact_lock(@SealerLockKey)", new { SealerLockKey }, tx, cancellationToken: ct)))
            return null;

        var head = await connection.QuerySingleOrDefaultAsync<(long Position, byte[] Hash)?>(new CommandDefinition(
            "SELECT chain_position, row_hash FROM audit_log WHERE chain_position IS NOT NULL ORDER BY chain_position DESC LIMIT 1",
            transaction: tx, cancellationToken: ct));
        var position = head?.Position ?? 0;
        var prev = head?.Hash ?? AuditHash.Genesis;

        // Only committed rows are visible here, so a transaction still open (or rolled back) is simply not sealed yet
        // (or ever): the chain takes rows in the order their commits are found, with no gap.
        var unsealed = await ReadUnsealedAsync(connection, tx, batchSize, ct);
        var ids = new long[unsealed.Count];
        var positions = new long[unsealed.Count];
        var prevs = new byte[unsealed.Count][];
        var hashes = new byte[unsealed.Count][];
        for (var i = 0; i < unsealed.Count; i++)
        {
            position++;
            ids[i] = unsealed[i].Id;
            positions[i] = position;
            prevs[i] = prev;
            hashes[i] = prev = AuditHash.OfRow(position, unsealed[i], prev);
        }
        if (unsealed.Count > 0)
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE audit_log a SET chain_position = u.position, prev_hash = u.prev, row_hash = u.hash
                FROM unnest(@ids, @positions, @prevs, @hashes) AS u(id, position, prev, hash)
                WHERE a.id = u.id
                """,
                new { ids, positions, prevs, hashes }, tx, cancellationToken: ct));

        var last = await connection.QuerySingleOrDefaultAsync<(long Position, DateTime SignedAt)?>(new CommandDefinition(
            "SELECT chain_position, signed_at FROM audit_checkpoints ORDER BY chain_position DESC LIMIT 1",
            transaction: tx, cancellationToken: ct));
        var checkpoint = position == 0 ? null : checkpointIfDue(new AuditHead(position, prev, last?.Position ?? 0,
            last is { } l ? new DateTimeOffset(DateTime.SpecifyKind(l.SignedAt, DateTimeKind.Utc)) : null));
        if (checkpoint is not null)
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO audit_checkpoints (chain_position, head_hash, signed_at, signature, signer_certificate)
                VALUES (@Position, @HeadHash, @SignedAt, @Signature, @SignerCertificate)
                """,
                checkpoint, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return new SealRound(unsealed.Count, position, checkpoint);
    }

    private static async Task<List<UnsealedAuditRow>> ReadUnsealedAsync(NpgsqlConnection connection, NpgsqlTransaction tx, int limit, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT id, occurred_at, actor, rpc, outcome, reason, detail::text, refusal_id
            FROM audit_log WHERE chain_position IS NULL ORDER BY id LIMIT @limit
            """, connection, tx);
        command.Parameters.AddWithValue("limit", limit);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<UnsealedAuditRow>();
        while (await reader.ReadAsync(ct))
            rows.Add(new UnsealedAuditRow(
                reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), reader.GetString(3),
                reader.GetString(4), NullableText(reader, 5), NullableText(reader, 6), reader.IsDBNull(7) ? null : reader.GetGuid(7)));
        return rows;
    }

    /// <summary>
    /// Hands <paramref name="consume"/> the sealed rows from <paramref name="fromPosition"/> to <paramref name="toPosition"/>
    /// in chain order, read as it enumerates them (a whole log need not fit in memory).
    /// </summary>
    public async Task<T> ReadChainAsync<T>(long fromPosition, long toPosition, Func<IEnumerable<AuditEntry>, T> consume, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand(
            $"""
            SELECT {EntryColumns} FROM audit_log
            WHERE chain_position BETWEEN @fromPosition AND @toPosition ORDER BY chain_position
            """, connection);
        command.Parameters.AddWithValue("fromPosition", fromPosition);
        command.Parameters.AddWithValue("toPosition", toPosition);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return consume(Entries(reader));
    }

    private static IEnumerable<AuditEntry> Entries(NpgsqlDataReader reader)
    {
        while (reader.Read())
            yield return new AuditEntry(
                reader.GetInt64(0), reader.GetInt64(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetString(3),
                reader.GetString(4), reader.GetString(5), NullableText(reader, 6), NullableText(reader, 7),
                reader.IsDBNull(8) ? null : reader.GetGuid(8), reader.GetFieldValue<byte[]>(9), reader.GetFieldValue<byte[]>(10));
    }

    /// <summary>The checkpoints from <paramref name="fromPosition"/> on, by position.</summary>
    public async Task<IReadOnlyList<AuditCheckpoint>> CheckpointsAsync(long fromPosition, long toPosition, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<(long Position, byte[] HeadHash, DateTime SignedAt, byte[] Signature, byte[] SignerCertificate)>(
            new CommandDefinition(
                """
                SELECT chain_position, head_hash, signed_at, signature, signer_certificate FROM audit_checkpoints
                WHERE chain_position BETWEEN @fromPosition AND @toPosition ORDER BY chain_position
                """,
                new { fromPosition, toPosition }, cancellationToken: ct));
        return rows.Select(r => new AuditCheckpoint(r.Position, r.HeadHash,
            new DateTimeOffset(DateTime.SpecifyKind(r.SignedAt, DateTimeKind.Utc)), r.Signature, r.SignerCertificate)).ToList();
    }

    /// <summary>The first and last chain positions of the sealed rows written in [from, to), or null when there are none.</summary>
    public async Task<(long First, long Last)?> PositionsBetweenAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var range = await connection.QuerySingleAsync<(long? First, long? Last)>(new CommandDefinition(
            """
            SELECT min(chain_position), max(chain_position) FROM audit_log
            WHERE chain_position IS NOT NULL AND occurred_at >= @from AND occurred_at < @to
            """,
            new { from, to }, cancellationToken: ct));
        return range is { First: { } first, Last: { } last } ? (first, last) : null;
    }

    /// <summary>The position of the first checkpoint at or after <paramref name="position"/>, if one is signed yet.</summary>
    public async Task<long?> CheckpointCoveringAsync(long position, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT min(chain_position) FROM audit_checkpoints WHERE chain_position >= @position", new { position }, cancellationToken: ct));
    }

    /// <summary>row_hash at <paramref name="position"/>; the genesis before position 1; null when that row is not there.</summary>
    public async Task<byte[]?> HashAtAsync(long position, CancellationToken ct)
    {
        if (position == 0)
            return AuditHash.Genesis;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<byte[]?>(new CommandDefinition(
            "SELECT row_hash FROM audit_log WHERE chain_position = @position", new { position }, cancellationToken: ct));
    }

    /// <summary>Rows the sealer has not reached yet (written within about a sealing interval, or the sealer is down).</summary>
    public async Task<long> UnsealedCountAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM audit_log WHERE chain_position IS NULL", cancellationToken: ct));
    }

    private static string? NullableText(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}

/// <summary>An <see cref="AuditChainStore"/> with the data source it owns; disposing closes its connections.</summary>
public sealed class OwnedAuditChainStore(NpgsqlDataSource dataSource) : IAsyncDisposable
{
    public AuditChainStore Chain { get; } = new(dataSource);

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();
}
