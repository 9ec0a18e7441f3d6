namespace DevTools;

/// <summary>Where and how <see cref="LocalPostgresCluster"/> runs a development or test PostgreSQL cluster.</summary>
public sealed class LocalPostgresClusterOptions
{
    /// <summary>
    /// Folder that holds the cluster (data directory, socket directory, server log); git-ignored, e.g.
    /// <c>&lt;repo&gt;/.ra-dev/pg</c>. When the <c>postgres</c> OS user cannot reach it, a folder under /tmp is used instead.
    /// </summary>
    public required string Folder { get; init; }

    /// <summary>The PostgreSQL server binaries (initdb, pg_ctl, postgres).</summary>
    public string BinDirectory { get; init; } = "/usr/lib/postgresql/15/bin";

    /// <summary>TCP port on 127.0.0.1; null picks a free one at each start.</summary>
    public int? Port { get; init; }

    /// <summary>The application database created on first start.</summary>
    public string DatabaseName { get; init; } = "ra";

    /// <summary>OS account that owns and runs the cluster when this process runs as root (initdb refuses root).</summary>
    public string OsUserWhenRoot { get; init; } = "postgres";

    /// <summary>How long to wait for the server to accept connections.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>More postgresql.conf lines written at initdb (the benchmark loads pg_stat_statements this way).</summary>
    public IReadOnlyList<string> ExtraSettings { get; init; } = [];
}
