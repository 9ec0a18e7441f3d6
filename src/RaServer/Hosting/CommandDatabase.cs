using Microsoft.Extensions.Options;

namespace RaServer.Hosting;

/// <summary>The configuration and database section for the one-shot verbs (migrate, check, audit), read as serve reads them.</summary>
public static class CommandDatabase
{
    /// <summary>appsettings beside the binary, the environment, and `--Key=value` arguments.</summary>
    public static IConfiguration ConfigurationOf(string[] args) =>
        // Configuration files sit beside the binary; the working directory is whatever the operator started it from.
        WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory }).Configuration;

    /// <summary>The validated options, or null after printing why not (the caller exits with 2).</summary>
    public static Task<DatabaseOptions?> ReadAsync(string[] args, string verb) => ReadAsync(ConfigurationOf(args), verb, Console.Error);

    public static async Task<DatabaseOptions?> ReadAsync(IConfiguration configuration, string verb, TextWriter error)
    {
        var options = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (new DatabaseOptionsValidator().Validate(Options.DefaultName, options) is not { Failed: true } result)
            return options;
        foreach (var failure in result.Failures)
            await error.WriteLineAsync(failure);
        await error.WriteLineAsync($"(e.g. Database__ConnectionString=... RaServer {verb})");
        return null;
    }
}
