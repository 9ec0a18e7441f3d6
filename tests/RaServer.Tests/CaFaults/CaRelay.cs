using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RaServer.Tests.CaFaults;

/// <summary>What <see cref="CaRelay"/> does with the next CMP request it receives.</summary>
public enum RelayFault
{
    /// <summary>Forwards the request to the real CA and passes its answer back: the CA is healthy.</summary>
    None,

    /// <summary>Answers HTTP 503 without forwarding: the CA's front end turned the request away.</summary>
    ServiceUnavailable,

    /// <summary>Answers HTTP 500 without forwarding: a failure after which the client cannot tell what happened.</summary>
    InternalServerError,

    /// <summary>Forwards the request (the CA acts on it), then keeps the answer and never says anything: a slow CA.</summary>
    ForwardThenHang,

    /// <summary>
    /// Holds the request for <see cref="CaRelay.SlowDelay"/> before forwarding it, then passes the answer back to a client
    /// that may have given up meanwhile: a CA slower than the RA's timeout, which acts after the RA stopped waiting.
    /// </summary>
    SlowForward,
}

/// <summary>
/// A CMP endpoint on 127.0.0.1 between the RA and the real embedded CA, broken on purpose by the test. It speaks
/// just enough HTTP/1.1 for one POST per connection (it answers "Connection: close"), so requests are connections,
/// and it can be taken down (connection refused) and brought back on the same port.
/// </summary>
public sealed class CaRelay : IAsyncDisposable
{
    private readonly Uri target;
    private readonly HttpClient upstream = new();
    private readonly ConcurrentQueue<RelayFault> script = new();
    private readonly CancellationTokenSource stop = new();
    private TcpListener? listener;
    private int requests;
    private int forwarded;
    private readonly List<(int Count, TaskCompletionSource Reached)> waiters = [];

    private CaRelay(Uri target, int port)
    {
        this.target = target;
        Port = port;
    }

    /// <summary>A relay to <paramref name="target"/> whose port is reserved but nobody listens yet (the CA is down).</summary>
    public static CaRelay Down(Uri target)
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new CaRelay(target, port);
    }

    public static CaRelay Up(Uri target)
    {
        var relay = Down(target);
        relay.Open();
        return relay;
    }

    public int Port { get; }

    public Uri Address => new($"http://127.0.0.1:{Port}");

    /// <summary>What requests get when nothing is scripted.</summary>
    public RelayFault Fault { get; set; } = RelayFault.None;

    /// <summary>How long <see cref="RelayFault.SlowForward"/> holds a request before the CA sees it.</summary>
    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Requests received (each on its own connection).</summary>
    public int Requests => Volatile.Read(ref requests);

    /// <summary>Requests the real CA answered, whether or not the answer was passed on.</summary>
    public int Forwarded => Volatile.Read(ref forwarded);

    /// <summary>Faults for the next requests, in order, before <see cref="Fault"/> applies again.</summary>
    public void Script(params RelayFault[] faults)
    {
        foreach (var fault in faults)
            script.Enqueue(fault);
    }

    /// <summary>Starts listening: the CA is reachable again.</summary>
    public void Open()
    {
        var started = new TcpListener(IPAddress.Loopback, Port);
        started.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        started.Start();
        listener = started;
        _ = AcceptLoopAsync(started);
    }

    /// <summary>Stops listening: new connections are refused.</summary>
    public void Close()
    {
        listener?.Stop();
        listener = null;
    }

    /// <summary>Waits until the real CA has answered <paramref name="count"/> requests (signalled, at most 30 s).</summary>
    public async Task WaitForwardedAsync(int count)
    {
        TaskCompletionSource reached;
        lock (waiters)
        {
            if (Forwarded >= count)
                return;
            reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiters.Add((count, reached));
        }
        try
        {
            await reached.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the CA answered {Forwarded} requests, not {count}");
        }
    }

    private void CountForwarded()
    {
        var now = Interlocked.Increment(ref forwarded);
        lock (waiters)
        {
            foreach (var waiter in waiters.Where(w => w.Count <= now).ToList())
            {
                waiter.Reached.TrySetResult();
                waiters.Remove(waiter);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        Close();
        upstream.Dispose();
        stop.Dispose();
    }

    private async Task AcceptLoopAsync(TcpListener accepting)
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await accepting.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var connection = client;
        var stream = connection.GetStream();
        try
        {
            var request = await ReadRequestAsync(stream);
            if (request is null)
                return;
            Interlocked.Increment(ref requests);
            var fault = script.TryDequeue(out var scripted) ? scripted : Fault;
            switch (fault)
            {
                case RelayFault.ServiceUnavailable:
                    await WriteAsync(stream, 503, "Service Unavailable", null, []);
                    return;
                case RelayFault.InternalServerError:
                    await WriteAsync(stream, 500, "Internal Server Error", null, []);
                    return;
            }
            if (fault == RelayFault.SlowForward)
                await Task.Delay(SlowDelay, stop.Token);
            var (status, contentType, body) = await ForwardAsync(request.Value);
            CountForwarded();
            if (fault == RelayFault.ForwardThenHang)
            {
                // Keep quiet until the client gives up and hangs up (a read of 0 bytes), or the test ends.
                _ = await stream.ReadAsync(new byte[1], stop.Token);
                return;
            }
            await WriteAsync(stream, status, "Relayed", contentType, body);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The client hung up or the test ended: both are normal here.
        }
    }

    private async Task<(int Status, string? ContentType, byte[] Body)> ForwardAsync((string Path, string? ContentType, byte[] Body) request)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(target, request.Path)) { Content = new ByteArrayContent(request.Body) };
        if (request.ContentType is not null)
            message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
        using var response = await upstream.SendAsync(message, stop.Token);
        return ((int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), await response.Content.ReadAsByteArrayAsync(stop.Token));
    }

    private async Task<(string Path, string? ContentType, byte[] Body)?> ReadRequestAsync(NetworkStream stream)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int headEnd;
        while ((headEnd = IndexOfHeadEnd(buffer)) < 0)
        {
            var read = await stream.ReadAsync(chunk, stop.Token);
            if (read == 0)
                return null;
            buffer.Write(chunk, 0, read);
        }
        var head = Encoding.ASCII.GetString(buffer.GetBuffer(), 0, headEnd).Split("\r\n");
        var path = head[0].Split(' ')[1];
        var headers = head.Skip(1).Select(line => line.Split(':', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var length = headers.TryGetValue("Content-Length", out var value) ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        var body = buffer.ToArray()[(headEnd + 4)..].ToList();
        while (body.Count < length)
        {
            var read = await stream.ReadAsync(chunk, stop.Token);
            if (read == 0)
                return null;
            body.AddRange(chunk.Take(read));
        }
        return (path, headers.GetValueOrDefault("Content-Type"), body.ToArray());
    }

    private static int IndexOfHeadEnd(MemoryStream buffer) =>
        buffer.GetBuffer().AsSpan(0, (int)buffer.Length).IndexOf("\r\n\r\n"u8);

    private async Task WriteAsync(NetworkStream stream, int status, string reason, string? contentType, byte[] body)
    {
        var head = new StringBuilder($"HTTP/1.1 {status} {reason}\r\n");
        if (contentType is not null)
            head.Append($"Content-Type: {contentType}\r\n");
        head.Append($"Content-Length: {body.Length}\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), stop.Token);
        await stream.WriteAsync(body, stop.Token);
    }
}
