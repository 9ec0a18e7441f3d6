using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CaConnector.Tests.Fixtures;

/// <summary>What <see cref="FaultyCaEndpoint"/> does with the next connection.</summary>
public enum Fault
{
    /// <summary>Answers HTTP 503 before any CMP message.</summary>
    ServiceUnavailable,

    /// <summary>Reads the request and never answers.</summary>
    Hang,

    /// <summary>Reads the request and closes the connection without an answer.</summary>
    Close,

    /// <summary>Passes the connection through to a real CMP mock: the CA is healthy again.</summary>
    Relay,
}

/// <summary>
/// A CA endpoint on 127.0.0.1 that the test breaks on purpose, counting every connection it accepts (each
/// answer closes its connection, so connections are attempts).
/// </summary>
public sealed class FaultyCaEndpoint : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<Fault> _script = new();
    private int _connections;

    public FaultyCaEndpoint(Fault fault, Uri? relayTarget = null)
    {
        Fault = fault;
        RelayTarget = relayTarget;
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    public Fault Fault { get; set; }

    public Uri? RelayTarget { get; set; }

    /// <summary>Faults for the next connections, in order, before falling back to <see cref="Fault"/>.</summary>
    public void Script(params Fault[] faults)
    {
        foreach (var fault in faults)
            _script.Enqueue(fault);
    }

    public int Connections => Volatile.Read(ref _connections);

    public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            Interlocked.Increment(ref _connections);
            _ = ServeAsync(client, _script.TryDequeue(out var scripted) ? scripted : Fault);
        }
    }

    private async Task ServeAsync(TcpClient client, Fault fault)
    {
        using var _ = client;
        var stream = client.GetStream();
        try
        {
            if (fault == Fault.Relay)
            {
                await RelayAsync(stream);
                return;
            }
            await ReadRequestHeadAsync(stream);
            switch (fault)
            {
                case Fault.ServiceUnavailable:
                    var answer = Encoding.ASCII.GetBytes("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    await stream.WriteAsync(answer, _stop.Token);
                    break;
                case Fault.Hang:
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                    break;
                case Fault.Close:
                    break;
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
        {
            // The client hung up or the test ended: both are normal here.
        }
    }

    private async Task RelayAsync(NetworkStream downstream)
    {
        var target = RelayTarget ?? throw new InvalidOperationException("Relay needs a target.");
        using var upstream = new TcpClient();
        await upstream.ConnectAsync(target.Host, target.Port, _stop.Token);
        var up = upstream.GetStream();
        _ = downstream.CopyToAsync(up, _stop.Token);
        // The mock speaks HTTP/1.0 and closes after its answer, which ends the relay.
        await up.CopyToAsync(downstream, _stop.Token);
    }

    private async Task ReadRequestHeadAsync(NetworkStream stream)
    {
        var buffer = new byte[8192];
        var seen = new StringBuilder();
        while (!seen.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, _stop.Token);
            if (read == 0)
                return;
            seen.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
    }
}
