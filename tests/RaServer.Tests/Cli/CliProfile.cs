using DevTools;
using RaServer.Tests.Harness;

namespace RaServer.Tests.Cli;

/// <summary>
/// The `ra` profile of a test server, written by the same <see cref="DevProfile"/> as `ra-dev dev`: its address,
/// the dev TLS CA as trust, and the dev PKI's certificate for each role with a password file.
/// </summary>
public sealed class CliProfile : IDisposable
{
    private readonly string path;

    public CliProfile(RaServerHarness server)
    {
        Folder = Directory.CreateTempSubdirectory("ra-cli-profile-").FullName;
        path = DevProfile.Write(Folder, server.Address, server.Pki);
        Address = server.Address.GetLeftPart(UriPartial.Authority);
    }

    public string Folder { get; }

    /// <summary>The server's address as ra names it in its error lines.</summary>
    public string Address { get; }

    /// <summary>ra with this profile.</summary>
    public Task<Ra.Cli.Tests.RaRun> RunAsync(params string[] args) => Ra.Cli.Tests.RaProcess.RunAsync(["--profile", path, .. args]);

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
