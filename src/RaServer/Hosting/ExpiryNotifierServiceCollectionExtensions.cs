using Microsoft.Extensions.Configuration;
using RaServer.Workers;

namespace RaServer.Hosting;

public static class ExpiryNotifierServiceCollectionExtensions
{
    /// <summary>Binds section "ExpiryNotices" (validated at start) and runs <see cref="ExpiryNotifier"/> as a hosted service.</summary>
    public static IServiceCollection AddExpiryNotifier(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ExpiryNotifierOptions>()
            .Bind(configuration.GetSection(ExpiryNotifierOptions.Section))
            .Validate(o => Enum.IsDefined(o.DayOfWeek), "ExpiryNotices:DayOfWeek must be a day of the week.")
            .Validate(o => o.WindowDays > 0, "ExpiryNotices:WindowDays must be positive.")
            .Validate(o => o.MaxPerRun is > 0 and < int.MaxValue, "ExpiryNotices:MaxPerRun must be positive.")
            // PeriodicTimer refuses periods beyond about 49.7 days.
            .Validate(o => o.CheckInterval > TimeSpan.Zero && o.CheckInterval <= TimeSpan.FromDays(49),
                "ExpiryNotices:CheckInterval must be positive and at most 49 days.")
            .ValidateOnStart();
        services.AddSingleton<ExpiryNotifier>();
        services.AddHostedService(sp => sp.GetRequiredService<ExpiryNotifier>());
        return services;
    }
}
