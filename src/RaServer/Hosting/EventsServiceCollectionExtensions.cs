using RaServer.Api;
using RaServer.Storage;
using RaServer.Workers;
using RaServer.Workflow;

namespace RaServer.Hosting;

public static class EventsServiceCollectionExtensions
{
    /// <summary>
    /// The event path of one replica: the sequencer (leader-elected), the one LISTEN connection, the fan-out to the
    /// local watchers, and <see cref="ApplicationWatch"/> for the WatchApplication RPC.
    /// </summary>
    public static IServiceCollection AddApplicationEvents(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<EventsOptions, EventsOptionsValidator>(configuration.GetSection(EventsOptions.Section));
        services.AddSingleton(sp => new EventsMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddSingleton<WatcherRegistry>();
        services.AddSingleton<ApplicationEventStore>();
        services.AddSingleton<ApplicationWatch>();
        services.AddSingleton<EventSequencer>();
        services.AddSingleton<EventFanOut>();
        services.AddSingleton<EventNotificationListener>();
        services.AddHostedService(sp => sp.GetRequiredService<EventSequencer>());
        services.AddHostedService(sp => sp.GetRequiredService<EventFanOut>());
        services.AddHostedService(sp => sp.GetRequiredService<EventNotificationListener>());
        services.AddHostedService<CommitAnnouncer>();
        return services;
    }
}
