using System.Diagnostics;
using System.Runtime.InteropServices;
using DevTools;

namespace RaBench.Startup;

/// <summary>
/// A published RaServer running as a child process, against the run's database, PKI and CA (the hosted server's
/// settings, passed on the command line, which overrides the published appsettings.json), on 127.0.0.1 with free
/// ports of its own. The hosted server stays up as the first replica; the child is a second one, as in production.
/// Stopped with SIGTERM so the host shuts down as it would under an orchestrator, killed only if it does not.
/// </summary>
public sealed class ServerChild : IAsyncDisposable
{
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(15);
    private const int SigTerm = 15;
    private readonly Process _process;
    private readonly Queue<string> _lastLines = new();

    private ServerChild(Process process, Uri address)
    {
        _process = process;
        Address = address;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri Address { get; }
    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>What the child printed last (its logs are at Warning), for an error message.</summary>
    public string LastLines { get { lock (_lastLines) return string.Join(Environment.NewLine, _lastLines); } }

    /// <param name="environment">Runtime settings for this process only (DOTNET_TieredPGO=0 and the like).</param>
    public static ServerChild Start(ServerBuild build, IReadOnlyDictionary<string, string?> settings, IReadOnlyDictionary<string, string> environment)
    {
        var port = FreePorts.AskOs();
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
            WorkingDirectory = build.Folder,
        };
        start.ArgumentList.Add(build.Assembly);
        var overrides = new Dictionary<string, string?>(settings)
        {
            ["Server:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["EmbeddedCa:HttpPort"] = FreePorts.AskOs().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in overrides)
            start.ArgumentList.Add($"--{key}={value}");
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        return new ServerChild(Process.Start(start)!, new Uri($"https://127.0.0.1:{port}"));
    }

    /// <summary>The dotnet host this bench runs under (the same runtime), else the one on PATH.</summary>
    private static string DotnetHost() =>
        Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";

    private void Keep(string? line)
    {
        if (line is null)
            return;
        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            while (_lastLines.Count > 20)
                _lastLines.Dequeue();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _ = kill(_process.Id, SigTerm);
            using var wait = new CancellationTokenSource(StopWait);
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                Report.Note($"RaServer child {_process.Id} did not stop within {StopWait.TotalSeconds:F0} s of SIGTERM; killed");
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        _process.Dispose();
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
