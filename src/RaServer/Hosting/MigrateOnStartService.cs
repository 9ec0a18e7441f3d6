using Microsoft.Extensions.Options;
using Npgsql;
using RaServer.Storage;

namespace RaServer.Hosting;

/// <summary>Applies pending migrations before the server takes calls, when Database:MigrateOnStart is set.</summary>
public sealed class MigrateOnStartService(
    IOptions<DatabaseOptions> options, NpgsqlDataSource dataSource, ILogger<MigrateOnStartService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        if (options.Value.MigrateOnStart)
            await Migrator.MigrateAsync(dataSource, options.Value.MigrationsFolder, logger, ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
