using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace DevTools;

/// <summary>
/// A PostgreSQL cluster that the project starts itself from the machine's PostgreSQL binaries, for local runs and
/// tests: listens on 127.0.0.1 only, keeps its unix socket inside its own folder, trusts local connections, and
/// keeps PostgreSQL's durable defaults (fsync, synchronous_commit) because commit durability is part of what the
/// performance targets measure.
/// </summary>
public sealed class LocalPostgresCluster : IAsyncDisposable
{
    private const string Superuser = "postgres";
    private const int PgCtlNotRunning = 3; // pg_ctl status exit code when no server runs on the data directory
    private readonly LocalPostgresClusterOptions _options;
    private readonly ILogger _logger;
    private string? _runAs;
    private int? _startedPid; // the postmaster this object started: the only one it ever stops

    public LocalPostgresCluster(LocalPostgresClusterOptions options, ILogger? logger = null)
    {
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        Folder = Path.GetFullPath(options.Folder);
    }

    /// <summary>The folder actually used: the requested one, or the /tmp fallback when postgres cannot reach it.</summary>
    public string Folder { get; private set; }

    public string DataDirectory => Path.Combine(Folder, "data");
    public string SocketDirectory => Path.Combine(Folder, "run");
    public string LogFile => Path.Combine(Folder, "server.log");

    /// <summary>The port the running server listens on; valid after <see cref="StartAsync"/>.</summary>
    public int Port { get; private set; }

    /// <summary>
    /// True when <see cref="StartAsync"/> found a server already running on this data directory (another instance
    /// with the same folder, or a run that was killed) and uses it; such a server is left running by <see cref="StopAsync"/>.
    /// </summary>
    public bool Adopted { get; private set; }

    /// <summary>Npgsql connection string for the application database.</summary>
    public string ConnectionString => ConnectionStringFor(_options.DatabaseName);

    public string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = Superuser,
        Database = database,
    }.ConnectionString;

    /// <summary>
    /// Unpooled: a restart on the same port would otherwise hand back a pooled connection to the server that was
    /// stopped, which fails with "terminating connection due to administrator command".
    /// </summary>
    private string AdminConnectionString =>
        new NpgsqlConnectionStringBuilder(ConnectionStringFor("postgres")) { Pooling = false }.ConnectionString;

    public async Task StartAsync(CancellationToken ct = default)
    {
        _runAs = await ResolveRunAsUserAsync(ct);
        if (_runAs is not null)
            await ChooseFolderReachableByAsync(_runAs, ct);

        Directory.CreateDirectory(Folder);
        Directory.CreateDirectory(SocketDirectory);
        if (_runAs is not null)
            await RunCheckedAsync("/bin/chown", ["-R", _runAs, Folder], ct);

        if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
            await InitialiseAsync(ct);

        if (AdoptOrClearLeftoverServer())
        {
            await WaitUntilAcceptingConnectionsAsync(ct);
            await EnsureDatabaseAsync(_options.DatabaseName, ct);
            return;
        }

        Port = _options.Port ?? FreePorts.AskOs();
        var serverOptions = $"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='{SocketDirectory}'";
        var timeoutSeconds = Math.Max(1, (int)_options.StartTimeout.TotalSeconds);
        var start = await RunPostgresToolAsync("pg_ctl",
            ["start", "-D", DataDirectory, "-l", LogFile, "-w", "-t", timeoutSeconds.ToString(), "-o", serverOptions], ct);
        if (start.ExitCode != 0)
            throw StartFailure($"pg_ctl start exited with {start.ExitCode}: {start.Output}");
        _startedPid = ReadPidFile()?.Pid;

        await WaitUntilAcceptingConnectionsAsync(ct);
        await EnsureDatabaseAsync(_options.DatabaseName, ct);
        ClusterLog.ClusterStarted(_logger, Port);
    }

    /// <summary>Stops the server this object started, and nothing else: an adopted server keeps running.</summary>
    public async Task StopAsync(CancellationToken ct = default)
    {
        if (_startedPid is not { } pid)
            return;
        _startedPid = null;
        // Our server died and someone else started one on this data directory since: theirs, not ours to stop.
        if (ReadPidFile()?.Pid != pid || !IsPostmasterOf(pid, DataDirectory))
            return;
        var stop = await RunPostgresToolAsync("pg_ctl", ["stop", "-D", DataDirectory, "-m", "fast", "-w"], ct);
        // Stopping a server that is already gone (killed meanwhile) is fine.
        if (stop.ExitCode != 0 && Directory.Exists(DataDirectory)
            && (await RunPostgresToolAsync("pg_ctl", ["status", "-D", DataDirectory], ct)).ExitCode != PgCtlNotRunning)
            throw new InvalidOperationException($"pg_ctl stop failed ({stop.ExitCode}): {stop.Output}");
    }

    /// <summary>
    /// Restarts the server this object started with pg_ctl's shutdown <paramref name="mode"/> ("fast" rolls back open
    /// transactions and checkpoints; "immediate" aborts, and the start runs crash recovery), on the same port: pg_ctl
    /// restart reuses the options of the last start. For fault tests.
    /// </summary>
    public async Task RestartAsync(string mode, CancellationToken ct = default)
    {
        if (_startedPid is null)
            throw new InvalidOperationException("only a server this object started can be restarted");
        var timeoutSeconds = Math.Max(1, (int)_options.StartTimeout.TotalSeconds);
        // -l: without a log file the new postmaster would write to, and hold open, this process's pipe.
        var restart = await RunPostgresToolAsync("pg_ctl",
            ["restart", "-D", DataDirectory, "-m", mode, "-l", LogFile, "-w", "-t", timeoutSeconds.ToString()], ct);
        if (restart.ExitCode != 0)
            throw StartFailure($"pg_ctl restart -m {mode} exited with {restart.ExitCode}: {restart.Output}");
        _startedPid = ReadPidFile()?.Pid;
        await WaitUntilAcceptingConnectionsAsync(ct);
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task<string?> ResolveRunAsUserAsync(CancellationToken ct)
    {
        // Environment.UserName comes from getpwuid(geteuid()), so "root" means effective uid 0.
        if (Environment.UserName != "root")
            return null;
        var user = _options.OsUserWhenRoot;
        var id = await ProcessRunner.RunAsync("id", ["-u", user], ct);
        if (id.ExitCode != 0)
            throw new InvalidOperationException(
                $"This process runs as root and initdb refuses to run as root, so the local PostgreSQL cluster must run " +
                $"as the '{user}' OS user, which does not exist. Install Debian's postgresql-15 (or postgresql-common) " +
                $"package, which creates it, or run as an unprivileged user.");
        return user;
    }

    /// <summary>A clone under /root (mode 700) is unreachable for postgres; fall back to a stable folder under /tmp.</summary>
    private async Task ChooseFolderReachableByAsync(string user, CancellationToken ct)
    {
        var existing = Folder;
        while (!Directory.Exists(existing))
            existing = Path.GetDirectoryName(existing) ?? "/";
        var probe = await ProcessRunner.RunAsync("/usr/sbin/runuser", ["-u", user, "--", "test", "-x", existing], ct);
        if (probe.ExitCode == 0)
            return;

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Folder)))[..12];
        var fallback = Path.Combine(Path.GetTempPath(), $"ra-pg-{hash}");
        ClusterLog.UsingFallbackFolder(_logger, Folder, fallback);
        Folder = fallback;
    }

    private async Task InitialiseAsync(CancellationToken ct)
    {
        ClusterLog.InitialisingCluster(_logger, DataDirectory);
        var init = await RunPostgresToolAsync("initdb",
            ["-D", DataDirectory, "-U", Superuser, "--auth=trust", "--encoding=UTF8", "--no-locale"], ct);
        if (init.ExitCode != 0)
            throw new InvalidOperationException($"initdb failed ({init.ExitCode}): {init.Output}");
        // Settings that must hold for every start live in the config; the port is chosen per start on the command line.
        await File.AppendAllTextAsync(Path.Combine(DataDirectory, "postgresql.conf"),
            """

            # Added by RaServer's LocalPostgresCluster.
            listen_addresses = '127.0.0.1'
            max_connections = 200
            fsync = on
            synchronous_commit = on
            """ + string.Concat(_options.ExtraSettings.Select(line => "\n" + line)) + "\n", ct);
    }

    /// <summary>
    /// A live postmaster of this very data directory (found through its own postmaster.pid) is adopted on the port it
    /// listens on: it belongs to another instance with the same folder or to a killed run, and stopping it could pull
    /// the database from under a running server. A pid file naming any other process is stale and removed. Servers of
    /// other data directories are never looked at.
    /// </summary>
    private bool AdoptOrClearLeftoverServer()
    {
        var pidFile = Path.Combine(DataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile))
            return false;
        if (ReadPidFile() is not { } leftover)
        {
            File.Delete(pidFile);
            return false;
        }
        if (IsPostmasterOf(leftover.Pid, DataDirectory) && leftover.Port is { } port)
        {
            ClusterLog.AdoptingRunningServer(_logger, leftover.Pid, DataDirectory, port);
            if (_options.Port is { } wanted && wanted != port)
                ClusterLog.AdoptedServerKeepsItsPort(_logger, port, wanted);
            Port = port;
            Adopted = true;
            return true;
        }
        ClusterLog.RemovingStalePidFile(_logger, leftover.Pid, DataDirectory);
        File.Delete(pidFile);
        return false;
    }

    /// <summary>postmaster.pid: line 1 is the pid, line 4 the port (PostgreSQL's documented layout).</summary>
    private (int Pid, int? Port)? ReadPidFile()
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(Path.Combine(DataDirectory, "postmaster.pid"));
        }
        catch (IOException)
        {
            return null; // absent, or removed while we read
        }
        if (lines.Length == 0 || !int.TryParse(lines[0], out var pid))
            return null;
        return (pid, lines.Length > 3 && int.TryParse(lines[3], out var port) ? port : null);
    }

    private static bool IsPostmasterOf(int pid, string dataDirectory)
    {
        var cmdline = $"/proc/{pid}/cmdline";
        if (!File.Exists(cmdline))
            return false;
        try
        {
            var arguments = File.ReadAllText(cmdline).Split('\0');
            return arguments.Length > 0 && Path.GetFileName(arguments[0]) is "postgres" or "postmaster"
                && arguments.Contains(dataDirectory);
        }
        catch (IOException)
        {
            return false; // the process ended while we looked
        }
    }

    private async Task WaitUntilAcceptingConnectionsAsync(CancellationToken ct)
    {
        // pg_ctl -w already waited; this confirms that a client really gets in over TCP.
        var waited = Stopwatch.StartNew();
        Exception? last = null;
        while (waited.Elapsed < _options.StartTimeout)
        {
            try
            {
                await using var connection = new NpgsqlConnection(AdminConnectionString);
                await connection.OpenAsync(ct);
                return;
            }
            catch (NpgsqlException e)
            {
                last = e;
                await Task.Delay(100, ct);
            }
        }
        throw StartFailure($"PostgreSQL did not accept connections on 127.0.0.1:{Port} within {_options.StartTimeout}: {last?.Message}");
    }

    private async Task EnsureDatabaseAsync(string database, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync(ct);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", database);
        if (await exists.ExecuteScalarAsync(ct) is not null)
            return;
        await using var create = new NpgsqlCommand($"CREATE DATABASE {QuoteIdentifier(database)}", connection);
        await create.ExecuteNonQueryAsync(ct);
    }

    internal static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";

    private InvalidOperationException StartFailure(string what) =>
        new($"Could not start the local PostgreSQL cluster in {DataDirectory}. {what}\n--- last lines of {LogFile} ---\n{LogTail()}");

    private string LogTail()
    {
        try
        {
            return File.Exists(LogFile) ? string.Join('\n', File.ReadLines(LogFile).TakeLast(30)) : "(no server log)";
        }
        catch (IOException e)
        {
            return $"(could not read the server log: {e.Message})";
        }
    }

    private Task<ProcessRunner.Outcome> RunPostgresToolAsync(string tool, IReadOnlyList<string> arguments, CancellationToken ct)
    {
        var binary = Path.Combine(_options.BinDirectory, tool);
        if (!File.Exists(binary))
            throw new InvalidOperationException($"{binary} not found; install postgresql-15 or set the PostgreSQL bin directory.");
        return _runAs is null
            ? ProcessRunner.RunAsync(binary, arguments, ct)
            : ProcessRunner.RunAsync("/usr/sbin/runuser", ["-u", _runAs, "--", binary, .. arguments], ct);
    }

    private static async Task RunCheckedAsync(string fileName, IReadOnlyList<string> arguments, CancellationToken ct)
    {
        var outcome = await ProcessRunner.RunAsync(fileName, arguments, ct);
        if (outcome.ExitCode != 0)
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} failed ({outcome.ExitCode}): {outcome.Output}");
    }
}
