using RaServer.Trust;

namespace RaServer.Hosting;

public static class CrlFetcherServices
{
    /// <summary>Registers <see cref="CrlFetcher"/> and its HTTP client.</summary>
    public static IServiceCollection AddCrlFetcher(this IServiceCollection services)
    {
        // The deadline is per request in CrlFetcher (it differs per caller); the client's own would cut it short.
        services.AddHttpClient(CrlFetcher.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<CrlFetcher>();
        return services;
    }
}
