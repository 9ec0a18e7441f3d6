using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RaBench.Cmp;

/// <summary>
/// T7's peer: `cfssl serve` (Debian golang-cfssl) on 127.0.0.1 with a free port and a P-256 CA made in the run. It
/// signs and stores nothing. Disposing kills its process tree, so no cfssl outlives the run.
/// </summary>
public sealed class CfsslServer : IDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(15);
    private readonly Process _process;

    private CfsslServer(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    /// <summary>http://127.0.0.1:port/</summary>
    public Uri Address { get; }

    public Uri SignEndpoint => new(Address, "/api/v1/cfssl/sign");

    /// <summary>utime + stime of the cfssl process so far, in ms (USER_HZ is 100 on Linux).</summary>
    public double CpuMs()
    {
        var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture)) * 10.0;
    }

    public static async Task<CfsslServer> StartAsync(string folder)
    {
        var executable = FindOnPath("cfssl") ?? throw new InvalidOperationException(
            "cfssl is not installed (apt-get install -y golang-cfssl); T7 measures against it");
        Directory.CreateDirectory(folder);
        var (caFile, keyFile) = WriteCa(folder);
        var port = FreePort();
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = folder,
        };
        // Warnings only: cfssl logs every request at its default level, which would bill it for work ours does not do.
        foreach (var arg in new[] { "serve", "-address", "127.0.0.1", "-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "-ca", caFile, "-ca-key", keyFile, "-loglevel", "2" })
            start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        var server = new CfsslServer(process, new Uri($"http://127.0.0.1:{port}/"));
        // Its output is drained so a full pipe never stalls it; the tail is kept for the error if it will not start.
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null && log.Count < 200) log.Enqueue(e.Data); };
        process.OutputDataReceived += (_, e) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            await server.WaitUntilListeningAsync(port);
        }
        catch
        {
            server.Dispose();
            throw new InvalidOperationException($"cfssl serve did not start: {string.Join(" | ", log)}");
        }
        return server;
    }

    /// <summary>A self-signed P-256 CA, as `cfssl gencert -initca` would make, written as PEM for cfssl.</summary>
    private static (string CaFile, string KeyFile) WriteCa(string folder)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("C=TW, O=RaBench, CN=cfssl Bench CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        var now = DateTimeOffset.UtcNow;
        using var ca = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(5));
        var caFile = Path.Combine(folder, "cfssl-ca.pem");
        var keyFile = Path.Combine(folder, "cfssl-ca-key.pem");
        File.WriteAllText(caFile, ca.ExportCertificatePem() + "\n");
        // cfssl reads SEC 1 "EC PRIVATE KEY" PEM.
        File.WriteAllText(keyFile, key.ExportECPrivateKeyPem() + "\n");
        return (caFile, keyFile);
    }

    private async Task WaitUntilListeningAsync(int port)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"cfssl exited with {_process.ExitCode}");
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (waited.Elapsed < StartLimit)
            {
                await Task.Delay(100);
            }
        }
    }

    // Bound and released at once: the port is free unless something takes it in the moment before cfssl binds it.
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5_000);
        }
        finally
        {
            _process.Dispose();
        }
    }
}
