namespace RaServer.Api;

/// <summary>Configuration section "Api": how the applicants' RPCs answer.</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>
    /// Whether GetApplication keeps each answer on this replica and, while one statement shows it unchanged, serves it
    /// instead of reading and mapping the application again (BENCHMARKS.md, lever 6).
    /// </summary>
    public bool ApplicationAnswerCache { get; set; } = true;

    /// <summary>The most answers a replica keeps; a full cache starts over.</summary>
    public int ApplicationAnswerCacheEntries { get; set; } = 10_000;
}
