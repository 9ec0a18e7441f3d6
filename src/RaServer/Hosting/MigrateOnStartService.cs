using Microsoft.Extensions.Options;
using RaServer.Storage;

namespace RaServer.Hosting;

/// <summary>Applies pending migrations before the server takes calls, when Database:MigrateOnStart is set.</summary>
public sealed class MigrateOnStartService(
    IOptions<DatabaseOptions> options, DatabaseMigrations migrations, ILogger<MigrateOnStartService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        if (options.Value.MigrateOnStart)
            await migrations.ApplyAsync(options.Value.MigrationsFolder, logger, ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
