using Microsoft.Extensions.Options;
using RaServer.Storage;

namespace RaServer.Hosting;

/// <summary>`RaServer migrate`: applies the numbered SQL migrations to Database:ConnectionString and exits.</summary>
public static class MigrateCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        // Configuration files sit beside the binary; the working directory is whatever the operator started it from.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var options = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (new DatabaseOptionsValidator().Validate(Options.DefaultName, options) is { Failed: true } result)
        {
            foreach (var failure in result.Failures)
                await Console.Error.WriteLineAsync(failure);
            await Console.Error.WriteLineAsync("(e.g. Database__ConnectionString=... RaServer migrate)");
            return 2;
        }
        var applied = await Migrator.MigrateAsync(options.ConnectionString, options.MigrationsFolder, null, CancellationToken.None);
        Console.WriteLine(applied.Count == 0 ? "database is up to date" : $"applied {applied.Count} migration(s)");
        return 0;
    }
}
