using CaConnector;
using EmbeddedCa;
using Npgsql;

namespace RaServer.Storage;

/// <summary>
/// This replica's copy of the held and revoked certificates the CRL lists, kept current by reading only the status
/// changes numbered after the last one it has seen (migration 0035 says why that misses nothing). The first
/// publication in a process reads the full list; every later one reads the few rows that changed, so a status change
/// does not cost a million-row read. Entries are kept as the same instances between publications, so the CRL
/// signer's per-entry encoding is reused too. Called only inside the CRL publication transaction, which the CRL row
/// lock serialises across replicas; the semaphore serialises callers within this one.
/// </summary>
internal sealed class ListedCertificates
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<byte[], RevokedCertificate> _bySerial = new(SerialComparer.Instance);
    private long? _lastChange;

    /// <summary>Brings the list up to date on the caller's connection and transaction; returns every listed entry.</summary>
    public async Task<IReadOnlyList<RevokedCertificate>> CurrentAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (_lastChange is not { } last)
                await ReadAllAsync(connection, transaction, ct);
            else
                await ReadChangesAsync(connection, transaction, last, ct);
            return [.. _bySerial.Values];
        }
        catch
        {
            // Half-applied changes are still committed facts, but the cursor may not match them: start over next time.
            _bySerial.Clear();
            _lastChange = null;
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task ReadAllAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        _bySerial.Clear();
        // The counter first, the rows after: every change up to it is committed before the rows' snapshot, and a
        // change after it that the rows already show is read again as a change next time, harmlessly.
        await using (var counter = new NpgsqlCommand("SELECT last_change FROM embedded_ca_status_counter WHERE id = 1", connection, transaction))
            _lastChange = (long)(await counter.ExecuteScalarAsync(ct))!;
        await using var command = new NpgsqlCommand(
            "SELECT serial, revoked_at, revocation_reason FROM embedded_ca_certificates WHERE status <> 'Active'", connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var serial = reader.GetFieldValue<byte[]>(0);
            _bySerial[serial] = new RevokedCertificate(serial, reader.GetFieldValue<DateTimeOffset>(1), (RevocationReason)reader.GetInt16(2));
        }
    }

    private async Task ReadChangesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long after, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT serial, status <> 'Active', revoked_at, revocation_reason, status_change
            FROM embedded_ca_certificates WHERE status_change > @after
            """, connection, transaction);
        command.Parameters.AddWithValue("after", after);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var serial = reader.GetFieldValue<byte[]>(0);
            if (reader.GetBoolean(1))
                _bySerial[serial] = new RevokedCertificate(serial, reader.GetFieldValue<DateTimeOffset>(2), (RevocationReason)reader.GetInt16(3));
            else
                _bySerial.Remove(serial); // released from hold
            _lastChange = Math.Max(_lastChange ?? 0, reader.GetInt64(4));
        }
    }

    private sealed class SerialComparer : IEqualityComparer<byte[]>
    {
        public static readonly SerialComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] serial)
        {
            var hash = new HashCode();
            hash.AddBytes(serial);
            return hash.ToHashCode();
        }
    }
}
