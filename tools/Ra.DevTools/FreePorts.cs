using System.Net;
using System.Net.Sockets;

namespace DevTools;

/// <summary>Ports on 127.0.0.1 that nothing listens on, so instances side by side do not collide.</summary>
public static class FreePorts
{
    /// <summary>A port the OS hands out as free right now.</summary>
    public static int AskOs()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The first candidate that is free, else one the OS picks.</summary>
    public static int FirstFree(params int?[] candidates) =>
        candidates.OfType<int>().FirstOrDefault(IsFree) is var port && port != 0 ? port : AskOs();
}
