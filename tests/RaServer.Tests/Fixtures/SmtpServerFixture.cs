using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RaServer.Tests.Fixtures;

/// <summary>
/// A real SMTP server for mail tests: Debian's aiosmtpd with its Mailbox handler, which stores every accepted
/// message in a maildir. Listens on 127.0.0.1 on a port chosen once, so <see cref="Stop"/> then
/// <see cref="StartAsync"/> brings it back where a sender expects it. Fails (never skips) when aiosmtpd is missing.
/// </summary>
public sealed class SmtpServerFixture : IAsyncLifetime, IAsyncDisposable
{
    // Debian's python3-aiosmtpd lives in the system interpreter; a python3 earlier on PATH may not have it.
    private const string Python = "/usr/bin/python3";
    private const string InstallHint = "install it with: apt-get install -y python3-aiosmtpd";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private readonly StringBuilder _output = new();
    private Process? _process;

    public SmtpServerFixture()
    {
        Port = FindFreePort();
        // Python's mailbox.Maildir only lays out tmp/new/cur when the folder itself is missing; ours already exists.
        foreach (var sub in new[] { "tmp", "new", "cur" })
            Directory.CreateDirectory(Path.Combine(Maildir, sub));
    }

    public string Host => "127.0.0.1";

    /// <summary>The port, the same across restarts.</summary>
    public int Port { get; }

    /// <summary>The maildir the server delivers into; survives restarts.</summary>
    public string Maildir { get; } = Directory.CreateTempSubdirectory("ra-smtp-maildir-").FullName;

    public bool IsRunning => _process is { HasExited: false };

    public Task InitializeAsync() => StartAsync();

    /// <summary>Starts the server and returns once it accepts TCP connections.</summary>
    public async Task StartAsync()
    {
        if (IsRunning)
            return;
        await EnsureAiosmtpdInstalledAsync();

        var info = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-m", "aiosmtpd", "-n", "-l", $"{Host}:{Port}", "-c", "aiosmtpd.handlers.Mailbox", Maildir })
            info.ArgumentList.Add(argument);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {Python} -m aiosmtpd.");
        process.OutputDataReceived += (_, e) => Capture(e.Data);
        process.ErrorDataReceived += (_, e) => Capture(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await WaitUntilAcceptingAsync(process);
    }

    /// <summary>Kills the server and waits until it is gone, so connections to <see cref="Port"/> are refused.</summary>
    public void Stop()
    {
        if (_process is null)
            return;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
        _process = null;
    }

    /// <summary>Every message delivered so far, parsed.</summary>
    public IReadOnlyList<MimeKit.MimeMessage> DeliveredMessages() => MaildirReader.ReadAll(Maildir);

    private async Task WaitUntilAcceptingAsync(Process process)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < StartTimeout)
        {
            if (process.HasExited)
                throw new InvalidOperationException(
                    $"aiosmtpd exited with {process.ExitCode} before accepting connections on {Host}:{Port}:\n{CapturedOutput()}");
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        Stop();
        throw new InvalidOperationException($"aiosmtpd did not accept connections on {Host}:{Port} within {StartTimeout}:\n{CapturedOutput()}");
    }

    private static async Task EnsureAiosmtpdInstalledAsync()
    {
        if (!File.Exists(Python))
            throw new InvalidOperationException($"{Python} is missing, and the SMTP tests run Debian's aiosmtpd with it; {InstallHint}");
        var probe = Process.Start(new ProcessStartInfo(Python, ["-c", "import aiosmtpd"])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException($"Could not run {Python}.");
        var error = await probe.StandardError.ReadToEndAsync();
        await probe.WaitForExitAsync();
        if (probe.ExitCode != 0)
            throw new InvalidOperationException($"{Python} cannot import aiosmtpd, which the SMTP tests need; {InstallHint}\n{error}");
    }

    private static int FindFreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Capture(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
    }

    private string CapturedOutput()
    {
        lock (_output)
            return _output.ToString();
    }

    public Task DisposeAsync()
    {
        Stop();
        try { Directory.Delete(Maildir, recursive: true); }
        catch (IOException) { /* a leftover temp folder must not fail a test */ }
        return Task.CompletedTask;
    }

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());
}
