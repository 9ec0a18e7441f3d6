using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography.X509Certificates;
using DevTools;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Ra.Client;
using Ra.DevPki;

namespace RaServer.FaultTests.Fixtures;

/// <summary>
/// One RA replica as production runs it: the built server, <c>dotnet RaServer.dll serve</c>, as a child process with
/// its configuration on the command line, on 127.0.0.1 ports of its own. <see cref="Kill"/> is SIGKILL (no shutdown
/// hook runs, leases stay taken, streams break); <see cref="StartAsync"/> brings it back on the same ports. Every
/// child is killed when the fixture is disposed and, should a test host end early, when the process exits.
/// </summary>
public sealed class ReplicaProcess : IAsyncDisposable
{
    private static readonly string ServerAssembly = typeof(ReplicaProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RaServerAssembly").Value!;
    private static readonly ConcurrentDictionary<ReplicaProcess, bool> Running = new();
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    static ReplicaProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var replica in Running.Keys)
            replica.Kill();
    };

    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly X509Certificate2 _tlsCa;
    private readonly Queue<string> _lastLines = new();
    private readonly List<string> _failures = [];
    private Process? _process;

    public ReplicaProcess(string name, DevPki pki, IReadOnlyDictionary<string, string?> settings)
    {
        Name = name;
        Port = FreePorts.AskOs();
        var all = new Dictionary<string, string?>(settings)
        {
            ["Server:ListenAddress"] = "127.0.0.1",
            ["Server:Port"] = Port.ToString(CultureInfo.InvariantCulture),
            ["EmbeddedCa:ListenAddress"] = "127.0.0.1",
            ["EmbeddedCa:HttpPort"] = FreePorts.AskOs().ToString(CultureInfo.InvariantCulture),
            // One line per entry, so a failure's text stays with its category and event id.
            ["Logging:Console:FormatterOptions:SingleLine"] = "true",
        };
        _settings = all;
        _tlsCa = X509CertificateLoader.LoadCertificateFromFile(pki.TlsCaCertificate);
    }

    public string Name { get; }
    public int Port { get; }
    public Uri Address => new($"https://127.0.0.1:{Port}");
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Log entries at Error or worse ("fail:"/"crit:") since the fixture was made, across restarts.</summary>
    public IReadOnlyList<string> Failures { get { lock (_failures) return [.. _failures]; } }

    /// <summary>The last lines the replica printed, for a failure message.</summary>
    public string LastLines { get { lock (_lastLines) return string.Join(Environment.NewLine, _lastLines); } }

    /// <summary>Starts the server and returns once its gRPC health check answers SERVING.</summary>
    public async Task StartAsync()
    {
        if (IsRunning)
            throw new InvalidOperationException($"{Name} is already running");
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(ServerAssembly)!,
        };
        start.ArgumentList.Add(ServerAssembly);
        start.ArgumentList.Add("serve");
        foreach (var (key, value) in _settings)
            start.ArgumentList.Add($"--{key}={value}");
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {ServerAssembly}");
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        Running[this] = true;
        await WaitUntilServingAsync(process);
    }

    /// <summary>SIGKILL, then waits until the process is gone.</summary>
    public void Kill()
    {
        var process = _process;
        if (process is null)
            return;
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // it ended meanwhile
        }
        Running.TryRemove(this, out _);
    }

    /// <summary>A channel to this replica that trusts the dev TLS CA; with a certificate, for an mTLS system client.</summary>
    public GrpcChannel Channel(X509Certificate2? clientCertificate = null) => RaChannel.Create(Address, _tlsCa, clientCertificate);

    private async Task WaitUntilServingAsync(Process process)
    {
        using var channel = Channel();
        var health = new Health.HealthClient(channel);
        var waited = Stopwatch.StartNew();
        string last = "no answer yet";
        while (waited.Elapsed < StartTimeout)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"{Name} exited with {process.ExitCode} while starting:\n{LastLines}");
            try
            {
                var answer = await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(2));
                if (answer.Status == HealthCheckResponse.Types.ServingStatus.Serving)
                    return;
                last = answer.Status.ToString();
            }
            catch (RpcException e)
            {
                last = e.Status.ToString();
            }
            await Task.Delay(200);
        }
        Kill();
        throw new TimeoutException($"{Name} was not SERVING within {StartTimeout.TotalSeconds:F0} s ({last}):\n{LastLines}");
    }

    /// <summary>The dotnet host the tests run under (the same runtime), else the one on PATH.</summary>
    private static string DotnetHost() =>
        Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";

    private void Keep(string? line)
    {
        if (line is null)
            return;
        if (line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal))
            lock (_failures)
                _failures.Add(line);
        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            while (_lastLines.Count > 40)
                _lastLines.Dequeue();
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        _tlsCa.Dispose();
        return ValueTask.CompletedTask;
    }
}
