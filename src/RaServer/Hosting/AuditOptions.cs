namespace RaServer.Hosting;

/// <summary>
/// Configuration section "Audit": the audit log as evidence (docs/AUDIT.md). Where refusals wait while the database
/// cannot take them, how often the sealer chains new rows, when it signs a checkpoint, and with which key.
/// </summary>
public sealed class AuditOptions
{
    public const string Section = "Audit";

    /// <summary>
    /// Folder of the refusals whose audit row could not be written yet, one file each, replayed at start. Relative
    /// paths are under the application's base directory. It must survive a restart (not a tmpfs), and must be
    /// writable; replicas may share one (a replay writes a refusal once whoever replays it).
    /// </summary>
    public string PendingFolder { get; set; } = "audit-pending";

    /// <summary>Refusals held in memory for the pending writer; beyond it they wait in <see cref="PendingFolder"/> only.</summary>
    public int PendingQueueCapacity { get; set; } = 10_000;

    /// <summary>First wait before retrying a pending refusal after a failed write; it doubles per failure.</summary>
    public TimeSpan PendingRetryFirst { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between retries of a pending refusal.</summary>
    public TimeSpan PendingRetryMax { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the sealer chains the rows committed since its last round (one replica at a time).</summary>
    public TimeSpan SealInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Most rows one sealing round chains, in one short transaction; the rest wait for the next round.</summary>
    public int SealBatchSize { get; set; } = 1_000;

    /// <summary>A checkpoint is signed once this many rows were chained since the last one…</summary>
    public int CheckpointEveryRows { get; set; } = 10_000;

    /// <summary>…or once this long has passed since the last one, when any row was chained since.</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// PEM file of the certificate that signs checkpoints; verifiers trust it (and <see cref="FormerSigningCertificatePaths"/>).
    /// A key of its own, not the TLS key: that one may be absent behind a TLS proxy and is renewed on the web's schedule,
    /// and a signature meant as evidence should not come from a key that also answers handshakes. `ra-dev devpki`
    /// makes a development one.
    /// </summary>
    public string SigningCertificatePath { get; set; } = "";

    /// <summary>PEM file of the private key of <see cref="SigningCertificatePath"/> (ECDSA or RSA).</summary>
    public string SigningKeyPath { get; set; } = "";

    /// <summary>PEM certificates of earlier audit signers, so `audit verify` still trusts checkpoints they signed.</summary>
    public List<string> FormerSigningCertificatePaths { get; set; } = [];

    /// <summary><see cref="PendingFolder"/> as an absolute path.</summary>
    public string PendingFolderPath() => Path.GetFullPath(PendingFolder, AppContext.BaseDirectory);
}
