using System.Diagnostics.Metrics;
using CaConnector;
using CaConnector.Resilience;
using EmbeddedCa;
using Microsoft.Extensions.Options;
using RaServer.Trust;

namespace RaServer.Hosting;

/// <summary>
/// The CA behind the RA, from section "Ca": its options, validated at start, and by Ca:Mode either the embedded CA
/// (its listener, its services, its CRL schedule) or the CMP connector to an external CA, never both.
/// </summary>
public static partial class CaServices
{
    public static WebApplicationBuilder AddCa(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<CaOptions, CaOptionsValidator>(builder.Configuration.GetSection(CaOptions.Section));
        if (CaOptions.ModeOf(builder.Configuration) == CaMode.Cmp)
        {
            services.AddSingleton<ICaConnector>(CreateCmpConnector);
        }
        else
        {
            builder.AddEmbeddedCaListener();
            services.AddEmbeddedCa(builder.Configuration);
            // In process, no pipeline: there is no line to time out, and its failures are its store's, which the outbox retries.
            services.AddSingleton<ICaConnector>(sp => sp.GetRequiredService<EmbeddedCertificateAuthority>());
        }
        return builder;
    }

    /// <summary>The embedded CA's HTTP endpoints (CMP, CRL, CA certificates), in Embedded mode only.</summary>
    public static WebApplication MapCa(this WebApplication app)
    {
        if (CaOptions.ModeOf(app.Configuration) == CaMode.Embedded)
            app.MapEmbeddedCa();
        return app;
    }

    private static ResilientCaConnector CreateCmpConnector(IServiceProvider sp)
    {
        var options = sp.GetRequiredService<IOptions<CaOptions>>().Value;
        var time = sp.GetRequiredService<TimeProvider>();
        // No HttpClient timeout: the pipeline's attempt timeout rules, and it knows an issue cut off is an open outcome.
        var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var cmp = new CmpCaConnector(http, options.Cmp, time);
        LogCmpMode(sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CaServices)), options.Cmp.Endpoint, options.CrlUrl);
        return new ResilientCaConnector(cmp, options.Resilience, new CaConnectorMetrics(sp.GetService<IMeterFactory>()),
            sp.GetRequiredService<ILogger<ResilientCaConnector>>(), time);
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "CA requests go over CMP to {Endpoint}; statuses come from the CA's CRL at {CrlUrl}")]
    private static partial void LogCmpMode(ILogger logger, Uri endpoint, string crlUrl);
}
