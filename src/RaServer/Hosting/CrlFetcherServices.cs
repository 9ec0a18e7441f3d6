using Microsoft.Extensions.Options;
using RaServer.Domain;
using RaServer.Policy;
using RaServer.Storage;
using RaServer.Trust;

namespace RaServer.Hosting;

public static class CrlFetcherServices
{
    /// <summary>
    /// Registers <see cref="CrlFetcher"/> and its HTTP client, and checks Trust:CrlUrls and the download limits at start.
    /// Needs <see cref="TrustServiceCollectionExtensions.AddSignedRequestVerification"/> for the "Trust" section.
    /// </summary>
    public static IServiceCollection AddCrlFetcher(this IServiceCollection services)
    {
        // The deadline is per request in CrlFetcher (it differs per caller); the client's own would cut it short.
        services.AddHttpClient(CrlFetcher.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<CrlFetcher>();
        services.AddOptions<TrustOptions>()
            .Validate(o => o.CrlUrls.All(IsHttpUrl), "Trust:CrlUrls must be absolute http or https URLs.")
            .Validate(o => o.CrlFetchTimeout > TimeSpan.Zero, "Trust:CrlFetchTimeout must be positive.")
            .Validate(o => o.CrlMaxBytes > 0, "Trust:CrlMaxBytes must be positive.")
            .Validate(o => o.CrlRefreshInterval > TimeSpan.Zero, "Trust:CrlRefreshInterval must be positive.");
        return services;
    }

    internal static bool IsHttpUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
