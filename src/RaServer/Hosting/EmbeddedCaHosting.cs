using System.Net;
using System.Security.Cryptography.X509Certificates;
using EmbeddedCa;
using EmbeddedCa.Cmp;
using EmbeddedCa.Pkcs11;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using RaServer.Api;
using RaServer.Storage;
using RaServer.Workers;

namespace RaServer.Hosting;

/// <summary>
/// Wiring of the embedded CA into RaServer: <c>builder.AddEmbeddedCaListener()</c> (a second Kestrel listener, plain
/// HTTP/1.1), <c>builder.Services.AddEmbeddedCa(builder.Configuration)</c>, and after Build <c>app.MapEmbeddedCa()</c>.
/// <see cref="CaServices"/> calls them in Ca:Mode=Embedded only. It needs the process's
/// <see cref="Npgsql.NpgsqlDataSource"/> and <see cref="TimeProvider"/> registered.
/// </summary>
public static class EmbeddedCaHosting
{
    /// <summary>Connection item set on the CA listener's connections; the endpoints answer 404 without it.</summary>
    internal const string ListenerMarker = "RaServer.EmbeddedCa.Listener";

    public static IServiceCollection AddEmbeddedCa(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<EmbeddedCaOptions, EmbeddedCaOptionsValidator>(configuration.GetSection(EmbeddedCaOptions.Section));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EmbeddedCaOptions>, EmbeddedCaKeyTokenValidator>());
        services.AddSingleton<EmbeddedCaKeyToken>();
        services.AddSingleton<ICaKeySource>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<EmbeddedCaOptions>>().Value;
            return options.KeySource switch
            {
                CaKeySourceKind.Sealed => new SealedCaKeySource(
                    options.SealingPassphrase(sp.GetRequiredService<IHostEnvironment>().IsDevelopment()), options.KeySealingIterations),
                CaKeySourceKind.Pkcs11 => new Pkcs11CaKeySource(sp.GetRequiredService<EmbeddedCaKeyToken>().Open(options.Pkcs11), options.Pkcs11.KeyLabels()),
            };
        });
        services.AddSingleton<IEmbeddedCaStore, PostgresEmbeddedCaStore>();
        services.AddSingleton(sp => new EmbeddedCertificateAuthority(
            sp.GetRequiredService<IEmbeddedCaStore>(),
            sp.GetRequiredService<ICaKeySource>(),
            sp.GetRequiredService<IOptions<EmbeddedCaOptions>>().Value.ToSettings(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<EmbeddedCertificateAuthority>>()));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<EmbeddedCaOptions>>().Value;
            var trusted = options.CmpTrustedClientCertificates.Select(X509CertificateLoader.LoadCertificateFromFile).ToList();
            return new CmpServer(
                sp.GetRequiredService<EmbeddedCertificateAuthority>(),
                new CmpServerSettings { TrustedClients = trusted, ValidityYears = options.CmpValidityYears },
                new PolicyCsrCheckForCmp(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<CmpServer>>());
        });
        services.AddHostedService(sp => new EmbeddedCaCrlSchedule(
            sp.GetRequiredService<EmbeddedCertificateAuthority>(),
            sp.GetRequiredService<IOptions<EmbeddedCaOptions>>().Value.CrlCheckInterval,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<EmbeddedCaCrlSchedule>>()));
        return services;
    }

    /// <summary>
    /// A plain HTTP/1.1 listener (EmbeddedCa:ListenAddress, EmbeddedCa:HttpPort) for CMP clients and CRL fetchers,
    /// which speak neither HTTP/2 nor our TLS. Its connections are marked so the CA endpoints answer only there.
    /// </summary>
    public static WebApplicationBuilder AddEmbeddedCaListener(this WebApplicationBuilder builder)
    {
        // Read before the host exists, so it is validated here: a bad port or address is refused naming its key.
        var options = builder.Configuration.GetSection(EmbeddedCaOptions.Section)
            .GetValidated(new EmbeddedCaOptionsValidator(builder.Environment));
        var address = IPAddress.Parse(options.ListenAddress);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(address, options.HttpPort, listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            listen.Use(next => connection =>
            {
                connection.Items[ListenerMarker] = true;
                return next(connection);
            });
        }));
        return builder;
    }

    public static IEndpointRouteBuilder MapEmbeddedCa(this IEndpointRouteBuilder endpoints)
    {
        EmbeddedCaEndpoints.Map(endpoints);
        return endpoints;
    }
}
