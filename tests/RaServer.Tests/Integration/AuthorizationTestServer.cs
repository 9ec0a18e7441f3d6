using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Ra.DevPki;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;

namespace RaServer.Tests.Integration;

/// <summary>
/// The one server that <see cref="CallerAuthorizationTests"/> share: the allow-list does not change between its
/// cases, so a server per case (host, database, embedded CA) bought nothing. Its client-CA bundle also holds MOEACA,
/// so that "the right name under the wrong CA" is a CA the server trusts, not one the chain check already turns
/// away: what refuses it must be the pin.
/// </summary>
public sealed class AuthorizationTestServer : IAsyncLifetime
{
    public PostgresFixture Postgres { get; } = new();
    public RaServerHarness Server { get; private set; } = null!;
    public string WiderBundle { get; private set; } = null!;

    /// <summary>The certificates the matrix presents, by case name, each made once: most cost an RSA key.</summary>
    public ConcurrentDictionary<string, X509Certificate2?> Presented { get; } = new();

    public async Task InitializeAsync()
    {
        await Postgres.InitializeAsync();
        var pki = await SharedDevPki.GetAsync();
        WiderBundle = Path.Combine(Directory.CreateTempSubdirectory("ra-client-cas-").FullName, "ca-bundle.crt");
        await File.WriteAllTextAsync(WiderBundle,
            await File.ReadAllTextAsync(pki.ClientCaBundle) + await File.ReadAllTextAsync(pki.CaCertificate(DevCa.Moeaca)));
        Server = await StartAsync();
    }

    /// <summary>A server with the wider bundle; a test that changes the server's live state starts its own.</summary>
    public Task<RaServerHarness> StartAsync(Action<Dictionary<string, string?>>? configure = null) =>
        RaServerHarness.StartAsync(Postgres, configure: settings =>
        {
            settings["Auth:ClientCaBundlePath"] = WiderBundle;
            configure?.Invoke(settings);
        });

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Postgres.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(WiderBundle)!, recursive: true);
    }
}
