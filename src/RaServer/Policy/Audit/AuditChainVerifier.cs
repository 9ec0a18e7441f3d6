using System.Security.Cryptography.X509Certificates;
using RaServer.Domain;

namespace RaServer.Policy;

/// <summary>What was done to the log at the first place the evidence stops holding.</summary>
public enum AuditTamperKind
{
    /// <summary>A row's content, or its chain fields, differ from what was sealed.</summary>
    Changed,
    /// <summary>A sealed row is missing (a gap in the positions, or the chain ends before a signed checkpoint).</summary>
    Removed,
    /// <summary>A row sits in the chain that the next sealed row does not link to: it was put in afterwards.</summary>
    Inserted,
    /// <summary>A checkpoint whose signature does not verify, or whose signer is not the trusted one.</summary>
    CheckpointInvalid,
    /// <summary>An export whose rows no trusted checkpoint covers: nothing signed fixes them.</summary>
    Uncovered,
}

/// <param name="Id">The row's id where one is there to name (a removed row has none left).</param>
public sealed record AuditFinding(AuditTamperKind Kind, long Position, long? Id, string Explanation);

/// <param name="Finding">The first problem in chain order, or null when the log is intact.</param>
/// <param name="RowsChecked">Sealed rows walked.</param>
/// <param name="LastPosition">Position of the last row walked (0 when none).</param>
/// <param name="LastCheckpoint">Position of the last valid checkpoint (0 when none): later rows are chained, not yet signed.</param>
public sealed record AuditVerification(AuditFinding? Finding, long RowsChecked, long LastPosition, long LastCheckpoint)
{
    public bool Intact => Finding is null;
}

/// <summary>
/// Walks a stretch of the chain (the whole log, or an export's window) and its checkpoints, and names the first row
/// that was changed, removed or inserted. Pure: the caller streams the rows in and says which signers it trusts.
/// </summary>
/// <remarks>
/// A row is checked three ways: its position follows the last one (a gap is a removal), its own hash recomputes, and
/// the next row links to it. The last check tells an insertion (the next row links to the row before it) from a change
/// whose hash was recomputed to hide it. A changed row whose hash was recomputed and a removal whose later positions
/// were renumbered look alike to the chain: both are reported at the row the next link no longer points to.
/// Checkpoints fix the head against rewriting the whole chain, and against cutting off its end.
/// </remarks>
public static class AuditChainVerifier
{
    /// <param name="rows">Sealed rows ordered by position, starting at <paramref name="firstPosition"/>.</param>
    /// <param name="previousHash">row_hash of the position before <paramref name="firstPosition"/> (the genesis for 1).</param>
    /// <param name="requireCoverage">An export must end under a trusted checkpoint; the live log may run past the last one.</param>
    public static AuditVerification Verify(
        IEnumerable<AuditEntry> rows, long firstPosition, byte[] previousHash, IReadOnlyList<AuditCheckpoint> checkpoints,
        IReadOnlyCollection<X509Certificate2> trustedSigners, bool requireCoverage)
    {
        var heads = new Dictionary<long, byte[]>();
        AuditFinding? badCheckpoint = null;
        foreach (var checkpoint in checkpoints.OrderBy(c => c.Position))
        {
            if (CheckpointProblem(checkpoint, trustedSigners) is { } problem)
            {
                badCheckpoint = new AuditFinding(AuditTamperKind.CheckpointInvalid, checkpoint.Position, null, problem);
                break;
            }
            heads[checkpoint.Position] = checkpoint.HeadHash;
        }

        var walk = Walk(rows, firstPosition, previousHash, heads, badCheckpoint?.Position ?? long.MaxValue);
        var finding = walk.Finding ?? badCheckpoint;
        var lastCheckpoint = heads.Keys.DefaultIfEmpty(0).Max();
        if (finding is null && lastCheckpoint > walk.LastPosition)
            finding = new AuditFinding(AuditTamperKind.Removed, walk.LastPosition + 1, null,
                $"the chain ends at position {walk.LastPosition}, but a signed checkpoint fixes position {lastCheckpoint}: rows were cut off its end");
        if (finding is null && requireCoverage && walk.RowsChecked > 0 && lastCheckpoint < walk.LastPosition)
            finding = new AuditFinding(AuditTamperKind.Uncovered, walk.LastPosition, null,
                $"no trusted checkpoint at or after position {walk.LastPosition}: nothing signed fixes these rows");
        return new AuditVerification(finding, walk.RowsChecked, walk.LastPosition, lastCheckpoint);
    }

    private sealed record WalkResult(AuditFinding? Finding, long RowsChecked, long LastPosition);

    private static WalkResult Walk(
        IEnumerable<AuditEntry> rows, long firstPosition, byte[] previousHash, Dictionary<long, byte[]> heads, long stopBefore)
    {
        var expectedPosition = firstPosition;
        var expectedPrev = previousHash;
        long checkedRows = 0;
        using var e = rows.GetEnumerator();
        var current = e.MoveNext() ? e.Current : null;
        while (current is not null && current.Position < stopBefore)
        {
            var next = e.MoveNext() ? e.Current : null;
            var finding = Check(current, next, expectedPosition, expectedPrev, heads);
            if (finding is not null)
                return new WalkResult(finding, checkedRows, expectedPosition - 1);
            checkedRows++;
            expectedPrev = current.RowHash;
            expectedPosition++;
            current = next;
        }
        return new WalkResult(null, checkedRows, expectedPosition - 1);
    }

    private static AuditFinding? Check(AuditEntry row, AuditEntry? next, long expectedPosition, byte[] expectedPrev, Dictionary<long, byte[]> heads)
    {
        if (row.Position > expectedPosition)
            return new AuditFinding(AuditTamperKind.Removed, expectedPosition, null, row.Position == expectedPosition + 1
                ? $"position {expectedPosition} is missing (the next row there is id {row.Id} at {row.Position})"
                : $"positions {expectedPosition}–{row.Position - 1} are missing (the next row there is id {row.Id} at {row.Position})");
        if (!AuditHash.OfRow(row).AsSpan().SequenceEqual(row.RowHash))
            return new AuditFinding(AuditTamperKind.Changed, row.Position, row.Id, "its content no longer hashes to its row_hash");
        if (!row.PrevHash.AsSpan().SequenceEqual(expectedPrev))
            return row.Position == expectedPosition && expectedPosition > 1
                ? new AuditFinding(AuditTamperKind.Removed, row.Position, row.Id,
                    "it links to a row that is not before it: the row it followed was removed and the later positions renumbered")
                : new AuditFinding(AuditTamperKind.Changed, row.Position, row.Id, "its prev_hash is not the hash the chain reached before it");
        if (next is not null && next.Position == row.Position + 1 && !next.PrevHash.AsSpan().SequenceEqual(row.RowHash))
            return next.PrevHash.AsSpan().SequenceEqual(expectedPrev)
                ? new AuditFinding(AuditTamperKind.Inserted, row.Position, row.Id,
                    $"the next row (id {next.Id}) links past it, to the row before it: it was put into the chain afterwards")
                : new AuditFinding(AuditTamperKind.Changed, row.Position, row.Id,
                    $"the next row (id {next.Id}) does not link to it: it was changed and its hash recomputed (or the row after it was removed and the positions renumbered)");
        if (heads.TryGetValue(row.Position, out var head) && !head.AsSpan().SequenceEqual(row.RowHash))
            return new AuditFinding(AuditTamperKind.Changed, row.Position, row.Id, "its hash is not the head hash the signed checkpoint holds for its position");
        return null;
    }

    private static string? CheckpointProblem(AuditCheckpoint checkpoint, IReadOnlyCollection<X509Certificate2> trustedSigners)
    {
        if (!trustedSigners.Any(t => t.RawData.AsSpan().SequenceEqual(checkpoint.SignerCertificate)))
            return "its signer certificate is not the trusted audit signer";
        using var signer = X509CertificateLoader.LoadCertificate(checkpoint.SignerCertificate);
        var statement = AuditHash.CheckpointStatement(checkpoint.Position, checkpoint.HeadHash, checkpoint.SignedAt);
        return AuditCheckpointSignature.Verify(statement, checkpoint.Signature, signer) ? null : "its signature does not verify";
    }
}
