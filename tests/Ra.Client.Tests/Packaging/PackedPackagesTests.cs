using System.Diagnostics;
using System.Reflection;

namespace Ra.Client.Tests.Packaging;

/// <summary>
/// `dotnet pack` makes the Ra.Contracts and Ra.Client packages with the repository's one version, and an app outside
/// the repository builds and runs against them from a local folder feed (plus nuget.org for their dependencies).
/// </summary>
public sealed class PackedPackagesTests : IDisposable
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif
    private readonly string root = Path.Combine(Path.GetTempPath(), $"ra-pack-{Guid.NewGuid():N}");

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task An_app_builds_and_runs_against_the_packed_packages()
    {
        var repo = RepositoryRoot();
        var version = VersionOf(repo);
        var feed = Directory.CreateDirectory(Path.Combine(root, "feed")).FullName;
        foreach (var project in new[] { "src/Ra.Contracts/Ra.Contracts.csproj", "src/Clients/Ra.Client/Ra.Client.csproj" })
            await DotnetAsync(repo, "pack", Path.Combine(repo, project), "--no-build", "-c", Configuration, "-o", feed);
        Assert.True(File.Exists(Path.Combine(feed, $"Ra.Client.{version}.nupkg")), "Ra.Client package");
        Assert.True(File.Exists(Path.Combine(feed, $"Ra.Contracts.{version}.nupkg")), "Ra.Contracts package");

        var app = Directory.CreateDirectory(Path.Combine(root, "app")).FullName;
        var packages = Path.Combine(root, "packages");
        var globalCache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        // Packages restore into a folder of this test's own, so a package of the same version packed by an earlier
        // run can never be served from a cache; the machine's cache is only a fallback for the dependencies.
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <configuration>
              <packageSources><clear /><add key="local" value="{feed}" /><add key="nuget.org" value="https://api.nuget.org/v3/index.json" /></packageSources>
              <fallbackPackageFolders><add key="machine" value="{globalCache}" /></fallbackPackageFolders>
              <config><add key="globalPackagesFolder" value="{packages}" /></config>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(app, "app.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><Nullable>enable</Nullable><ImplicitUsings>enable</ImplicitUsings></PropertyGroup>
              <ItemGroup><PackageReference Include="Ra.Client" Version="{version}" /></ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using Ra.Client.Calls;
            using Ra.Client.Keys;

            using var key = ApplicantKey.Generate();
            var csr = SigningRequest.CreateDer(key);
            using var connection = RaConnection.Open(new Uri(args[0]), policy: new CallPolicy { MaxAttempts = 1 });
            var client = new ApplicantClient(connection, System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(
                Convert.FromBase64String(args[1])), ApplicantClient.Organization("04595252", "x"));
            try { await client.GetRaInfoAsync(); }
            catch (RaUnreachableException e) { Console.WriteLine($"csr {csr.Length} bytes; unreachable {e.Address}"); }
            Console.WriteLine(typeof(RaConnection).Assembly.GetName().Version);
            """);

        var closed = $"https://127.0.0.1:{FreePort()}/";
        using var issuer = new TestIssuer();
        var certificate = Convert.ToBase64String(issuer.Root.RawData);
        var output = await DotnetAsync(app, "run", "--", closed, certificate);

        Assert.Contains($"unreachable {closed}", output);
        Assert.Contains(new Version(version).ToString(3), output);
    }

    private static string VersionOf(string repo) =>
        System.Text.RegularExpressions.Regex.Match(File.ReadAllText(Path.Combine(repo, "Directory.Build.props")), "<Version>([^<]+)</Version>").Groups[1].Value;

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "RaBackend.sln")))
                return dir.FullName;
        throw new InvalidOperationException("RaBackend.sln not found above " + AppContext.BaseDirectory);
    }

    private static async Task<string> DotnetAsync(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", arguments)
        {
            WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        var output = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', arguments)} failed:\n{output}");
        return output;
    }
}
