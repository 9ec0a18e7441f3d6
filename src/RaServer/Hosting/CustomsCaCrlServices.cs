using EmbeddedCa;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Options;
using RaServer.Trust;

namespace RaServer.Hosting;

public static class CustomsCaCrlServices
{
    /// <summary>
    /// The RA's CRL fetcher: <see cref="CrlFetcher"/> (which <see cref="TrustCrlKeeper"/> uses for Trust:CrlUrls), and
    /// the customs CA's CRL, <see cref="CustomsCaCrl"/> with its keeper, from the CRL part of section "Ca" (bound and
    /// validated by <see cref="CaServices.AddCa"/>). Ca:Mode decides the source: the external CA's configured CRL, or
    /// the embedded CA for whatever of it is left empty.
    /// </summary>
    public static IServiceCollection AddCrlFetching(this IServiceCollection services)
    {
        services.AddCrlFetcher();
        services.AddSingleton<CustomsCaCrl>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<CaOptions>>().Value;
            return options.Mode == CaMode.Cmp
                ? CustomsCaCrlSource.External(options)
                : CustomsCaCrlSource.Embedded(options, sp.GetRequiredService<EmbeddedCertificateAuthority>(),
                    sp.GetRequiredService<IOptions<EmbeddedCaOptions>>().Value, sp.GetRequiredService<IServer>());
        });
        services.AddSingleton<CustomsCaCrlKeeper>();
        services.AddHostedService(sp => sp.GetRequiredService<CustomsCaCrlKeeper>());
        return services;
    }
}
