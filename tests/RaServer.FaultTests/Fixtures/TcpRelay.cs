using System.Net;
using System.Net.Sockets;
using DevTools;

namespace RaServer.FaultTests.Fixtures;

/// <summary>
/// A TCP relay on 127.0.0.1 between the RA and PostgreSQL that the test cuts: <see cref="Cut"/> resets every open
/// connection and refuses new ones, as a network partition or a dead host looks to the RA, while PostgreSQL itself
/// keeps running; <see cref="Restore"/> listens again on the same port.
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly int _targetPort;
    private readonly List<Socket> _open = [];
    private readonly CancellationTokenSource _stop = new();
    private TcpListener? _listener;

    public TcpRelay(int targetPort)
    {
        _targetPort = targetPort;
        Port = FreePorts.AskOs();
        Restore();
    }

    public int Port { get; }

    public void Restore()
    {
        var listener = new TcpListener(IPAddress.Loopback, Port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        _listener = listener;
        _ = AcceptLoopAsync(listener);
    }

    public void Cut()
    {
        _listener?.Stop();
        _listener = null;
        Socket[] open;
        lock (_open)
        {
            open = [.. _open];
            _open.Clear();
        }
        foreach (var socket in open)
        {
            // Linger 0: close sends RST, so both ends learn at once that the connection is gone.
            try
            {
                socket.LingerState = new LingerOption(true, 0);
            }
            catch (ObjectDisposedException)
            {
                continue;
            }
            socket.Close();
        }
    }

    private async Task AcceptLoopAsync(TcpListener listener)
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        lock (_open)
        {
            _open.Add(client);
            _open.Add(server);
        }
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
            await Task.WhenAny(PumpAsync(client, server), PumpAsync(server, client));
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // cut, or one side hung up
        }
        finally
        {
            lock (_open)
            {
                _open.Remove(client);
                _open.Remove(server);
            }
            client.Dispose();
            server.Dispose();
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, _stop.Token);
                if (read == 0)
                    return;
                await to.SendAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // the other pump or Cut closed a socket
        }
    }

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        Cut();
        _stop.Dispose();
        return ValueTask.CompletedTask;
    }
}
