using Ra.DevPki;

namespace RaServer.Tests.Harness;

/// <summary>
/// One development PKI for the whole test run, made by the same generator as `RaServer devpki`: key
/// generation is the slow part, and every server under test can share the same files.
/// </summary>
public static class SharedDevPki
{
    private static readonly Lazy<Task<DevPki>> Pki = new(() =>
    {
        var folder = Path.Combine(Path.GetTempPath(), $"ra-tests-pki-{Environment.ProcessId}");
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        };
        return GenerateWithLongLivedCrlsAsync(folder);
    });

    /// <summary>How long the test run's CRLs stay fresh: longer than any deadline the tests walk across.</summary>
    public static readonly TimeSpan CrlLifetime = TimeSpan.FromDays(60);

    private static async Task<DevPki> GenerateWithLongLivedCrlsAsync(string folder)
    {
        var pki = await DevPkiGenerator.GenerateAsync(folder);
        var now = DateTimeOffset.UtcNow;
        foreach (var ca in new[] { DevCa.Grca, DevCa.Moeaca, DevCa.Moica, DevCa.Gca })
            pki.ReissueCrl(ca, [], 2, now.AddMinutes(-1), now + CrlLifetime);
        return pki;
    }

    public static Task<DevPki> GetAsync() => Pki.Value;
}
