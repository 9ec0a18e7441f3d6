using EmbeddedCa;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Options;
using RaServer.Api;
using RaServer.Storage;
using RaServer.Workers;
using RaServer.Domain;
using RaServer.Policy;
using RaServer.Trust;

namespace RaServer.Hosting;

public static class CustomsCaCrlServices
{
    /// <summary>
    /// The RA's CRL fetcher: <see cref="CrlFetcher"/> (which <see cref="TrustCrlKeeper"/> uses for Trust:CrlUrls), and
    /// the customs CA's CRL, <see cref="CustomsCaCrl"/> with its keeper, from the CRL part of section "Ca". Uses the
    /// embedded CA for whatever of that section is left empty, when the embedded CA is registered.
    /// </summary>
    public static IServiceCollection AddCrlFetching(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddCrlFetcher();
        services.AddValidatedOptions<CustomsCaCrlOptions, CustomsCaCrlOptionsValidator>(configuration.GetSection(CustomsCaCrlOptions.Section));
        services.AddSingleton<CustomsCaCrl>();
        services.AddSingleton(sp => new CustomsCaCrlSource(
            sp.GetRequiredService<IOptions<CustomsCaCrlOptions>>().Value,
            sp.GetService<EmbeddedCertificateAuthority>(),
            sp.GetService<EmbeddedCertificateAuthority>() is null ? null : sp.GetRequiredService<IOptions<EmbeddedCaOptions>>().Value,
            sp.GetService<IServer>()));
        services.AddSingleton<CustomsCaCrlKeeper>();
        services.AddHostedService(sp => sp.GetRequiredService<CustomsCaCrlKeeper>());
        return services;
    }
}
