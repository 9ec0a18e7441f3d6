using Npgsql;

namespace RaServer.Storage;

/// <summary>
/// The one place that knows what a failing database looks like, so callers outside Storage decide "try again later"
/// without naming Npgsql's types.
/// </summary>
public static class StorageErrors
{
    /// <summary>
    /// Whether <paramref name="e"/> is the database failing the caller: unreachable, shut down or restarting (57P01,
    /// 57P03, class 08), out of time, or refusing the statement. Every <see cref="NpgsqlException"/> counts, a
    /// <see cref="PostgresException"/> of any SQLSTATE included, as the workers and the health check have always
    /// treated them: the unit of work rolled back, so nothing is half-done, and the next attempt starts afresh.
    /// A bare <see cref="TimeoutException"/> counts too; Npgsql usually wraps its timeouts, not always.
    /// </summary>
    public static bool IsUnavailable(Exception e) => e is NpgsqlException or TimeoutException;
}
