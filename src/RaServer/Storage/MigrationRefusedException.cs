namespace RaServer.Storage;

/// <summary>
/// The database's migration journal disagrees with the migration files (an applied file changed or vanished, or a
/// new file sorts before one already applied). Migrations are forward-only: fix it with a new numbered file.
/// </summary>
public sealed class MigrationRefusedException(string message) : Exception(message);
