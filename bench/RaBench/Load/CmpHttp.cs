using System.Net;

namespace RaBench.Load;

/// <summary>
/// One HTTP/1.1 client for a T7 workload: <see cref="LoadJob.Connections"/> pooled connections to one server, kept
/// open for the whole run, so each of the in-flight loops finds a connection and none is made on the clock.
/// </summary>
public static class CmpHttp
{
    public static HttpClient Create(LoadJob job) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = job.Connections,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        AutomaticDecompression = DecompressionMethods.None,
        UseProxy = false,
    })
    {
        DefaultRequestVersion = HttpVersion.Version11,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>The P-256 CSRs both sides of T7 get, one base64 DER per line (written by the parent).</summary>
    public static byte[][] ReadCsrs(LoadJob job) =>
        File.ReadAllLines(job.Arg("csrs")).Where(l => l.Length > 0).Select(Convert.FromBase64String).ToArray();
}
