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
        return DevPkiGenerator.GenerateAsync(folder);
    });

    public static Task<DevPki> GetAsync() => Pki.Value;
}
