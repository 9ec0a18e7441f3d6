using RaServer.Storage;

namespace RaServer.Hosting;

/// <summary>`RaServer migrate`: applies the numbered SQL migrations to Database:ConnectionString and exits.</summary>
public static class MigrateCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (await CommandDatabase.ReadAsync(args, "migrate") is not { } options)
            return 2;
        var applied = await Migrator.MigrateAsync(options.ConnectionString, options.MigrationsFolder, null, CancellationToken.None);
        Console.WriteLine(applied.Count == 0 ? "database is up to date" : $"applied {applied.Count} migration(s)");
        return 0;
    }
}
