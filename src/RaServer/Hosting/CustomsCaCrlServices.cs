using System.Net;
using EmbeddedCa;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
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
            if (options.Mode == CaMode.Cmp)
                return CustomsCaCrlSource.External(options);
            var embedded = sp.GetRequiredService<IOptions<EmbeddedCaOptions>>().Value;
            var server = sp.GetRequiredService<IServer>();
            return CustomsCaCrlSource.Embedded(options, sp.GetRequiredService<EmbeddedCertificateAuthority>(),
                () => new Uri(EmbeddedListener(embedded, server), EmbeddedCaPaths.Crl));
        });
        services.AddSingleton<CustomsCaCrlKeeper>();
        services.AddHostedService(sp => sp.GetRequiredService<CustomsCaCrlKeeper>());
        return services;
    }

    /// <summary>This process's CA listener, reached over loopback when it listens on every address.</summary>
    private static Uri EmbeddedListener(EmbeddedCaOptions ca, IServer server)
    {
        var address = IPAddress.Parse(ca.ListenAddress);
        var host = address.Equals(IPAddress.Any) ? IPAddress.Loopback : address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback : address;
        if (ca.HttpPort != 0)
            return new Uri($"http://{FormatHost(host)}:{ca.HttpPort}");

        // Port 0 (tests): the port the listener got. It is the one plain-HTTP address unless gRPC runs without TLS.
        var bound = server.Features.Get<IServerAddressesFeature>()?.Addresses
            .Where(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            .ToList() ?? [];
        if (bound.Count != 1)
            throw new InvalidOperationException(
                $"The embedded CA listens on a port picked at start and {bound.Count} plain-HTTP addresses are bound; set Ca:CrlUrl or EmbeddedCa:HttpPort.");
        return new Uri($"http://{FormatHost(host)}:{new Uri(bound[0]).Port}");
    }

    private static string FormatHost(IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
}
