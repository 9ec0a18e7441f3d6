using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using RaServer.Domain;

namespace RaServer.Policy;

/// <summary>
/// The canonical encoding of an audit row and of a checkpoint, and their SHA-256. Every field is written in a fixed
/// order, integers big-endian, texts as UTF-8 behind a 4-byte length (−1 for NULL), so no two different rows encode
/// alike and a verifier in any language can rebuild the bytes. Times count microseconds since 1970 UTC, PostgreSQL's
/// own precision, so the value read back is the value hashed. Changing this encoding breaks every stored chain.
/// </summary>
public static class AuditHash
{
    private const string RowDomain = "ra-audit-row-v1";
    private const string CheckpointDomain = "ra-audit-checkpoint-v1";

    /// <summary>prev_hash of position 1: there is no row before it.</summary>
    public static byte[] Genesis => new byte[32];

    public static byte[] OfRow(long position, UnsealedAuditRow row, byte[] prevHash)
    {
        var bytes = new ByteWriter();
        bytes.Text(RowDomain);
        bytes.Int64(position);
        bytes.Int64(row.Id);
        bytes.Int64(Microseconds(row.OccurredAt));
        bytes.Text(row.Actor);
        bytes.Text(row.Rpc);
        bytes.Text(row.Outcome);
        bytes.Text(row.Reason);
        bytes.Text(row.Detail);
        bytes.Text(row.RefusalId?.ToString("D"));
        bytes.Bytes(prevHash);
        return SHA256.HashData(bytes.ToArray());
    }

    public static byte[] OfRow(AuditEntry entry) => OfRow(entry.Position, Unsealed(entry), entry.PrevHash);

    /// <summary>What a checkpoint's signature covers: the position, the head hash there, and when it was signed.</summary>
    public static byte[] CheckpointStatement(long position, byte[] headHash, DateTimeOffset signedAt)
    {
        var bytes = new ByteWriter();
        bytes.Text(CheckpointDomain);
        bytes.Int64(position);
        bytes.Bytes(headHash);
        bytes.Int64(Microseconds(signedAt));
        return bytes.ToArray();
    }

    public static UnsealedAuditRow Unsealed(AuditEntry e) =>
        new(e.Id, e.OccurredAt, e.Actor, e.Rpc, e.Outcome, e.Reason, e.Detail, e.RefusalId);

    /// <summary>Whole microseconds since 1970 UTC; anything finer is not stored, so it is not hashed either.</summary>
    public static long Microseconds(DateTimeOffset t) => (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    private sealed class ByteWriter
    {
        // Not a MemoryStream: Policy keeps clear of System.IO altogether.
        private readonly ArrayBufferWriter<byte> buffer = new(256);

        public void Int64(long value)
        {
            BinaryPrimitives.WriteInt64BigEndian(buffer.GetSpan(8), value);
            buffer.Advance(8);
        }

        public void Text(string? value)
        {
            if (value is null)
            {
                Length(-1);
                return;
            }
            Bytes(Encoding.UTF8.GetBytes(value));
        }

        public void Bytes(byte[] value)
        {
            Length(value.Length);
            buffer.Write(value);
        }

        private void Length(int length)
        {
            BinaryPrimitives.WriteInt32BigEndian(buffer.GetSpan(4), length);
            buffer.Advance(4);
        }

        public byte[] ToArray() => buffer.WrittenSpan.ToArray();
    }
}
