using Ra.DevPki;

namespace RaServer.Tests.Harness;

/// <summary>
/// One development PKI for the whole test run, made by the same generator as `RaServer devpki`: key
/// generation is the slow part, and every server under test can share the same files.
/// </summary>
public static class SharedDevPki
{
    private static readonly string Folder = Path.Combine(Path.GetTempPath(), $"ra-tests-pki-{Environment.ProcessId}");
    private static readonly Lazy<Task<DevPki>> Pki = new(() => GenerateWithLongLivedCrlsAsync(Folder));

    /// <summary>
    /// Deletes the files, once, after the last test (<see cref="Fixtures.RaTestFramework"/>): the test host may be
    /// ended right after the run, before a ProcessExit handler would get to it.
    /// </summary>
    public static void Delete()
    {
        try
        {
            if (Directory.Exists(Folder))
                Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // a leftover temp folder must not fail the run
        }
    }

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
