using System.Diagnostics.Metrics;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using RaServer.Storage;
using RaServer.Workers;

namespace RaServer.Hosting;

/// <summary>The audit log's parts (section "Audit"): the refusal log with its pending journal and writer, and the sealer.</summary>
public static class AuditServices
{
    public static IServiceCollection AddRaAudit(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<AuditOptions, AuditOptionsValidator>(configuration.GetSection(AuditOptions.Section));
        services.AddSingleton<PostgresRefusalWriter>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AuditOptions>>().Value;
            return new QueuedRefusalLog(
                sp.GetRequiredService<PostgresRefusalWriter>(), new PendingRefusalJournal(options.PendingFolderPath()),
                options.PendingQueueCapacity, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<QueuedRefusalLog>>(),
                sp.GetService<IMeterFactory>());
        });
        services.AddSingleton<IAuditLog>(sp => sp.GetRequiredService<QueuedRefusalLog>());
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AuditOptions>>().Value;
            return new PendingRefusalWriter(sp.GetRequiredService<QueuedRefusalLog>(), options.PendingRetryFirst, options.PendingRetryMax,
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<PendingRefusalWriter>>());
        });
        services.AddHostedService(sp => sp.GetRequiredService<PendingRefusalWriter>());

        services.AddSingleton<AuditChainStore>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AuditOptions>>().Value;
            return new AuditSealer(sp.GetRequiredService<AuditChainStore>(),
                new AuditSealerSettings(options.SealInterval, options.SealBatchSize, options.CheckpointEveryRows, options.CheckpointInterval,
                    X509Certificate2.CreateFromPemFile(options.SigningCertificatePath, options.SigningKeyPath)),
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<AuditSealer>>());
        });
        services.AddHostedService(sp => sp.GetRequiredService<AuditSealer>());
        return services;
    }
}
