using Ra.DevPki;
using RaServer.Tests.Harness;

namespace RaServer.Tests.Cli;

/// <summary>
/// A profile file for `ra` that points at a test server: its address, the dev TLS CA as trust, and the dev PKI's
/// client certificate for each system role with a password file, the way a clerk's or a feed's machine is set up.
/// </summary>
public sealed class CliProfile : IDisposable
{
    public CliProfile(RaServerHarness server)
    {
        Folder = Directory.CreateTempSubdirectory("ra-cli-profile-").FullName;
        var password = Path.Combine(Folder, "password.txt");
        File.WriteAllText(password, DevPki.Password + "\n");
        var identities = string.Join(",\n", DevClient.All.Select(c =>
            $"\"{c.FileName}\": {{ \"pkcs12\": {Json(server.Pki.ClientP12(c))}, \"passwordFile\": \"password.txt\" }}"));
        Path_ = Path.Combine(Folder, "profile.json");
        File.WriteAllText(Path_, $$"""
            {
              "server": {{Json(server.Address.GetLeftPart(UriPartial.Authority))}},
              "trust": {{Json(server.Pki.TlsCaCertificate)}},
              "officeCode": "AA",
              "clerkId": "clerk-007",
              "identities": { {{identities}} }
            }
            """);
        Address = server.Address.GetLeftPart(UriPartial.Authority);
    }

    public string Folder { get; }

    public string Address { get; }

    private string Path_ { get; }

    /// <summary>ra with this profile.</summary>
    public Task<Ra.Cli.Tests.RaRun> RunAsync(params string[] args) => Ra.Cli.Tests.RaProcess.RunAsync(["--profile", Path_, .. args]);

    private static string Json(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
