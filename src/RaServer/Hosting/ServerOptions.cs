namespace RaServer.Hosting;

/// <summary>Configuration section "Server": where and how the RA listens.</summary>
public sealed class ServerOptions
{
    public const string Section = "Server";

    /// <summary>The address to bind. Loopback by default so a dev machine exposes nothing.</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>The TCP port; 0 picks a free one (tests).</summary>
    public int Port { get; set; } = 5443;

    /// <summary>TLS is on unless explicitly disabled (e.g. behind a TLS-terminating proxy in a lab).</summary>
    public bool TlsEnabled { get; set; } = true;

    /// <summary>PEM file of the server certificate (its chain may follow in the same file).</summary>
    public string TlsCertificatePath { get; set; } = "";

    /// <summary>PEM file of the server certificate's private key.</summary>
    public string TlsKeyPath { get; set; } = "";

    /// <summary>
    /// Most concurrent HTTP/2 streams (calls) one client connection may hold open. Every open WatchApplication is a
    /// stream, so a partner app watching many applications needs another connection per this many watches (gRPC
    /// clients with SocketsHttpHandler.EnableMultipleHttp2Connections open them on their own). The default is
    /// Kestrel's own, 100; raising it lets one connection's buffers serve more watches, at the price of one
    /// client being able to hold more of the server's streams.
    /// </summary>
    public int Http2MaxStreamsPerConnection { get; set; } = 100;
}
