using Microsoft.Extensions.Options;

namespace RaServer.Hosting;

/// <summary>The database section for the one-shot verbs (migrate, check, …), read and validated as serve does.</summary>
public static class CommandDatabase
{
    /// <summary>The validated options, or null after printing why not (the caller exits with 2).</summary>
    public static async Task<DatabaseOptions?> ReadAsync(string[] args, string verb)
    {
        // Configuration files sit beside the binary; the working directory is whatever the operator started it from.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var options = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (new DatabaseOptionsValidator().Validate(Options.DefaultName, options) is not { Failed: true } result)
            return options;
        foreach (var failure in result.Failures)
            await Console.Error.WriteLineAsync(failure);
        await Console.Error.WriteLineAsync($"(e.g. Database__ConnectionString=... RaServer {verb})");
        return null;
    }
}
