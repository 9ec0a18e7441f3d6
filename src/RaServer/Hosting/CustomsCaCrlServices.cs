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
        services.AddOptions<CustomsCaCrlOptions>().Bind(configuration.GetSection(CustomsCaCrlOptions.Section))
            .Validate(o => o.CrlUrl.Length == 0 || CrlFetcherServices.IsHttpUrl(o.CrlUrl), "Ca:CrlUrl must be an absolute http or https URL, or empty for the embedded CA.")
            .Validate(o => o.IssuerCertificatePath.Length == 0 || File.Exists(o.IssuerCertificatePath), "Ca:IssuerCertificatePath names a file that does not exist.")
            .Validate(o => o.CrlRefreshInterval > TimeSpan.Zero && o.CrlFetchTimeout > TimeSpan.Zero && o.CrlMaxBytes > 0,
                "Ca:CrlRefreshInterval, Ca:CrlFetchTimeout and Ca:CrlMaxBytes must be positive.")
            .ValidateOnStart();
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
