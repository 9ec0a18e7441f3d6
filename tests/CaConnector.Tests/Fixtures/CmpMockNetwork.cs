using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace CaConnector.Tests.Fixtures;

/// <summary>
/// Runs `openssl cmp` mock servers where they cannot be reached from outside this machine.
/// </summary>
/// <remarks>
/// The mock binds every interface, so it runs inside a network namespace made for this test run
/// (`ip netns add ra-cmp-&lt;random&gt;`) whose only links are lo and one end of a veth pair. The other end stays in
/// the test's namespace; the pair gets a random 169.254.x.y/30 link-local subnet, so the mock is reachable from
/// this process and from nothing else, and never listens on the machine's real interfaces. Disposing kills the
/// mocks and deletes the namespace, which removes the veth pair with it. Needs root and iproute2; fails without.
/// </remarks>
public sealed class CmpMockNetwork : IDisposable
{
    private readonly string _namespace;
    private readonly List<Process> _mocks = [];
    private int _nextPort = 18000;

    public CmpMockNetwork()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        _namespace = $"ra-cmp-{id}";
        var hostLink = $"rc{id}h";
        var mockLink = $"rc{id}n";
        // 169.254.169.x is avoided: cloud metadata services live there.
        var third = RandomNumberGenerator.GetInt32(1, 254) is var t && t == 169 ? 170 : t;
        var fourth = RandomNumberGenerator.GetInt32(0, 64) * 4;
        var hostAddress = $"169.254.{third}.{fourth + 1}";
        MockAddress = IPAddress.Parse($"169.254.{third}.{fourth + 2}");

        HostCommand.Run("ip", "netns", "add", _namespace);
        try
        {
            HostCommand.Run("ip", "netns", "exec", _namespace, "ip", "link", "set", "lo", "up");
            HostCommand.Run("ip", "link", "add", hostLink, "type", "veth", "peer", "name", mockLink, "netns", _namespace);
            HostCommand.Run("ip", "addr", "add", hostAddress + "/30", "dev", hostLink);
            HostCommand.Run("ip", "link", "set", hostLink, "up");
            HostCommand.Run("ip", "netns", "exec", _namespace, "ip", "addr", "add", MockAddress + "/30", "dev", mockLink);
            HostCommand.Run("ip", "netns", "exec", _namespace, "ip", "link", "set", mockLink, "up");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public MockPki Pki { get; } = new();

    /// <summary>The mock side of the veth pair: the only address the mocks can be reached on.</summary>
    public IPAddress MockAddress { get; }

    /// <summary>
    /// Starts a mock protected by the trusted server key (or <paramref name="serverKey"/>, e.g. "impostor") with
    /// extra `openssl cmp` arguments, and waits until it accepts connections. Each mock gets its own port because
    /// a mock serves one transaction at a time and keeps its quirks for its whole life.
    /// </summary>
    public Uri StartMock(string serverKey = "srv", params string[] extraArguments)
    {
        var port = Interlocked.Increment(ref _nextPort);
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true };
        string[] arguments =
        [
            "netns", "exec", _namespace, "openssl", "cmp", "-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-srv_cert", Pki.PathOf(serverKey + ".crt"), "-srv_key", Pki.PathOf(serverKey + ".key"),
            "-srv_trusted", Pki.PathOf("ca.crt"), "-rsp_cert", Pki.PathOf("ee.crt"),
            "-rsp_capubs", Pki.PathOf("ca.crt"), "-rsp_extracerts", Pki.PathOf("ca.crt"), .. extraArguments,
        ];
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start openssl cmp");
        // Drained so a chatty mock never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        lock (_mocks)
            _mocks.Add(process);
        WaitUntilListening(port, process);
        return new Uri($"http://{MockAddress}:{port}");
    }

    public void Dispose()
    {
        lock (_mocks)
        {
            foreach (var mock in _mocks)
            {
                if (!mock.HasExited)
                    mock.Kill(entireProcessTree: true);
                mock.WaitForExit();
                mock.Dispose();
            }
            _mocks.Clear();
        }
        HostCommand.TryRun("ip", "netns", "del", _namespace);
        Pki.Dispose();
    }

    /// <summary>
    /// Waits until the mock's socket is in LISTEN state, read from /proc/PID/net/tcp, which shows the sockets of the
    /// process's network namespace. Not by connecting: `openssl cmp` serves one connection at a time, and a probe that
    /// connects and hangs up without a request makes it sleep a second before it accepts the real one.
    /// </summary>
    private static void WaitUntilListening(int port, Process mock)
    {
        var deadline = Stopwatch.StartNew();
        var listening = $":{port:X4} 00000000:0000 0A ";
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (mock.HasExited)
                throw new InvalidOperationException($"openssl cmp mock on port {port} exited with {mock.ExitCode}");
            foreach (var table in new[] { "tcp", "tcp6" })
            {
                try
                {
                    if (File.ReadLines($"/proc/{mock.Id}/net/{table}").Any(line => line.Contains(listening, StringComparison.Ordinal)
                        || line.Contains($":{port:X4} 00000000000000000000000000000000:0000 0A ", StringComparison.Ordinal)))
                        return;
                }
                catch (IOException)
                {
                    // the process is still being set up, or has just exited (checked above on the next round)
                }
            }
            Thread.Sleep(5);
        }
        throw new TimeoutException($"openssl cmp mock on port {port} did not start listening");
    }
}

[CollectionDefinition(Name)]
public sealed class CmpMockCollection : ICollectionFixture<CmpMockNetwork>
{
    public const string Name = "openssl cmp mock";
}
