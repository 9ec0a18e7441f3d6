using System.Diagnostics.Metrics;
using System.Security.Cryptography.X509Certificates;
using CaConnector;
using EmbeddedCa;
using CaConnector.Resilience;
using Microsoft.Extensions.Options;
using Npgsql;
using RaServer.Domain;
using RaServer.Workers;

namespace RaServer.Hosting;

/// <summary>Picks the dispatcher's CA from configuration section "Ca" (Mode = Embedded | Cmp).</summary>
public static partial class CmpCaGatewayRegistration
{
    public static IServiceCollection AddCaGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CaGatewayOptions>().Bind(configuration.GetSection(CaGatewayOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CaGatewayOptions>, CaGatewayOptionsValidator>();
        services.AddSingleton<ICertificateAuthorityGateway>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<CaGatewayOptions>>().Value;
            return options.Mode == CaMode.Cmp
                ? CreateCmpGateway(sp, options)
                : new EmbeddedCaGateway(sp.GetRequiredService<EmbeddedCertificateAuthority>());
        });
        return services;
    }

    private static CmpCaGateway CreateCmpGateway(IServiceProvider sp, CaGatewayOptions options)
    {
        var time = sp.GetRequiredService<TimeProvider>();
        // No HttpClient timeout: the pipeline's attempt timeout rules, and it knows an issue cut off is an open outcome.
        var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var cmp = new CmpCaConnector(http, options.Cmp, time);
        var resilient = new ResilientCaConnector(cmp, options.Resilience, new CaConnectorMetrics(sp.GetService<IMeterFactory>()),
            sp.GetRequiredService<ILogger<ResilientCaConnector>>(), time);
        using var issuing = X509CertificateLoader.LoadCertificateFromFile(options.IssuingCaCertificatePath!);
        var logger = sp.GetRequiredService<ILogger<CmpCaGateway>>();
        LogCmpMode(logger, options.Cmp.Endpoint, issuing.Subject);
        return new CmpCaGateway(resilient, sp.GetRequiredService<NpgsqlDataSource>(), new X500DistinguishedName(issuing.SubjectName.RawData), logger);
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "CA requests go over CMP to {Endpoint} (issuing CA {IssuingCa})")]
    private static partial void LogCmpMode(ILogger logger, Uri endpoint, string issuingCa);
}

/// <summary>Stops the process at start, with every problem listed, when Ca:Mode=Cmp is set up incompletely.</summary>
internal sealed class CaGatewayOptionsValidator : IValidateOptions<CaGatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, CaGatewayOptions options) =>
        options.Problems() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
}
