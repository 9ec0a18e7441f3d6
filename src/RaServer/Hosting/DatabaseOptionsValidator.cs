using Microsoft.Extensions.Options;

using RaServer.Domain;
using RaServer.Storage;

namespace RaServer.Hosting;

/// <summary>Refuses a connection string Npgsql cannot read, and migrations on start from a folder that is not there.</summary>
internal sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        var problems = new OptionsProblems(DatabaseOptions.Section);
        problems.Required(options.ConnectionString, nameof(options.ConnectionString));
        // Npgsql's message names the keyword or value it cannot read, not the password.
        if (!string.IsNullOrWhiteSpace(options.ConnectionString) && ConnectionStrings.Unreadable(options.ConnectionString) is { } reason)
            problems.Add(nameof(options.ConnectionString), $"is not an Npgsql connection string: {reason}");
        if (options.MigrateOnStart)
            problems.Check(Directory.Exists(options.MigrationsFolder), nameof(options.MigrationsFolder),
                $"must name an existing folder when {problems.Key(nameof(options.MigrateOnStart))} is set; '{options.MigrationsFolder}' does not exist.");
        return problems.Result();
    }
}
