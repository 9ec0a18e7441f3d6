using RaServer.Workers;

namespace RaServer.Hosting;

public static class ExpiryNotifierServiceCollectionExtensions
{
    /// <summary>Binds section "ExpiryNotices" (validated at start) and runs <see cref="ExpiryNotifier"/> as a hosted service.</summary>
    public static IServiceCollection AddExpiryNotifier(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ExpiryNotifierOptions, ExpiryNotifierOptionsValidator>(configuration.GetSection(ExpiryNotifierOptions.Section));
        services.AddSingleton<ExpiryNotifier>();
        services.AddHostedService(sp => sp.GetRequiredService<ExpiryNotifier>());
        return services;
    }
}
