using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace RaServer.Tests.CrlFetching;

/// <summary>
/// A CRL distribution point for tests: real HTTP on 127.0.0.1, answering with whatever the test puts up last
/// (a CRL, an error status, silence) until it is stopped, after which the port refuses connections.
/// </summary>
public sealed class CrlHttpSource : IAsyncDisposable
{
    private readonly WebApplication app;
    private volatile Func<HttpContext, Task> respond = context =>
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    };
    private bool stopped;

    private CrlHttpSource(WebApplication app, Uri url)
    {
        this.app = app;
        Url = url;
    }

    public Uri Url { get; }

    /// <summary>How many requests arrived, answered or not.</summary>
    public int Requests => requests;
    private int requests;

    /// <summary>A URL on which nothing listens: connections are refused at once.</summary>
    public static Uri DownUrl => new("http://127.0.0.1:1/down.crl");

    public static async Task<CrlHttpSource> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        CrlHttpSource? source = null;
        app.Run(context =>
        {
            Interlocked.Increment(ref source!.requests);
            return source.respond(context);
        });
        await app.StartAsync();
        source = new CrlHttpSource(app, new Uri(new Uri(app.Urls.Single()), "/ca.crl"));
        return source;
    }

    /// <summary>Serves the body with status 200, as a CA serves its DER CRL.</summary>
    public void Serve(byte[] body, string contentType = "application/pkix-crl") => respond = async context =>
    {
        context.Response.ContentType = contentType;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    };

    /// <summary>Serves the CRL PEM-armoured, as some CAs publish it.</summary>
    public void ServePem(byte[] der) =>
        Serve(System.Text.Encoding.ASCII.GetBytes(new string(System.Security.Cryptography.PemEncoding.Write("X509 CRL", der)) + "\n"), "application/x-pem-file");

    public void FailWith(int status) => respond = context =>
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    };

    /// <summary>Accepts the request and never answers, until the client gives up.</summary>
    public void Hang() => respond = context => Task.Delay(Timeout.Infinite, context.RequestAborted);

    /// <summary>Takes the source down: from now on connections to <see cref="Url"/> are refused.</summary>
    public async Task StopAsync()
    {
        if (stopped)
            return;
        stopped = true;
        await app.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await app.DisposeAsync();
    }
}
