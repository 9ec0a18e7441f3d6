namespace RaServer.Hosting;

/// <summary>Configuration section "Database".</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>Npgsql connection string of the RA database. The `dev` command starts a local cluster when it is empty.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>Apply pending migrations when the server starts (the `dev` command does; production runs `migrate` as a step).</summary>
    public bool MigrateOnStart { get; set; }

    /// <summary>Folder of the numbered SQL migrations; by default the copy next to the binary.</summary>
    public string MigrationsFolder { get; set; } = Path.Combine(AppContext.BaseDirectory, "migrations");
}
