using System.Collections.Concurrent;
using System.Text.Json;

namespace RaServer.Tests.Harness;

/// <summary>
/// The figures RELIABILITY.md quotes, as the tests measure them: each test that proves a reliability claim appends one
/// JSON line (its name and what it counted) to the file RA_FAULT_FIGURES names, when it is set, so one run of
/// `scripts/reliability` yields every figure of the document. Unset, nothing is written.
/// </summary>
public static class ReliabilityFigures
{
    private static readonly Lock FileLock = new();
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static void Record(string test, object figures)
    {
        if (Environment.GetEnvironmentVariable("RA_FAULT_FIGURES") is not { Length: > 0 } path)
            return;
        var line = JsonSerializer.Serialize(new { test, at = DateTimeOffset.UtcNow, figures }, Json);
        lock (FileLock)
            File.AppendAllText(path, line + "\n");
    }
}

/// <summary>A thread-safe count of answers by RPC, status and reason, for a campaign's histogram.</summary>
public sealed class AnswerTally
{
    private readonly ConcurrentDictionary<(string Rpc, string Status, string Reason), int> counts = new();

    public void Add(string rpc, string status, string reason) => counts.AddOrUpdate((rpc, status, reason), 1, (_, n) => n + 1);

    public int Total => counts.Values.Sum();

    public object Summary() => new
    {
        requests = Total,
        byRpc = counts.GroupBy(c => c.Key.Rpc).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Sum(c => c.Value)),
        byStatus = counts.GroupBy(c => c.Key.Status).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Sum(c => c.Value)),
        byReason = counts.GroupBy(c => c.Key.Reason).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Sum(c => c.Value)),
    };
}
