using System.Diagnostics;
using System.Globalization;

namespace RaBench.Startup;

/// <summary>
/// One way of publishing src/RaServer, as an operator would: <c>dotnet publish</c> into a folder of the run, then
/// run as <c>dotnet RaServer.dll</c>. ReadyToRun changes what is in the published assemblies, so it cannot be a
/// setting of the server the bench hosts in its own process; it is measured on published copies instead.
/// </summary>
public sealed record ServerBuild(string Name, string Folder)
{
    /// <summary>The framework-dependent publish without ReadyToRun: the same-run baseline.</summary>
    public static readonly string[] PlainArguments = [];

    /// <summary>ReadyToRun needs a runtime identifier (crossgen2 compiles for one); still framework-dependent.</summary>
    public static readonly string[] ReadyToRunArguments = ["-r", "linux-x64", "--self-contained", "false", "-p:PublishReadyToRun=true"];

    public string Assembly => Path.Combine(Folder, "RaServer.dll");

    /// <summary>Publishes the server (not timed) and says how long it took and how big the result is.</summary>
    public static async Task<ServerBuild> PublishAsync(string name, string folder, IReadOnlyList<string> extraArguments)
    {
        var clock = Stopwatch.StartNew();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["publish", Path.Combine(RepositoryRoot(), "src", "RaServer"), "-c", "Release", "-o", folder, "-v", "q", "-nologo"])
            start.ArgumentList.Add(argument);
        foreach (var argument in extraArguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"dotnet {string.Join(' ', start.ArgumentList)} failed ({process.ExitCode}): {await output}{await errors}");
        var build = new ServerBuild(name, folder);
        var bytes = Directory.EnumerateFiles(folder, "*.dll").Sum(f => new FileInfo(f).Length);
        Report.Note(string.Create(CultureInfo.InvariantCulture,
            $"published {name} in {clock.Elapsed.TotalSeconds:F0} s (not timed): dotnet publish src/RaServer -c Release {string.Join(' ', extraArguments)}; assemblies {bytes / 1048576.0:F1} MiB"));
        return build;
    }

    /// <summary>The repository the bench was built from: the folder above bench/ that holds RaBackend.sln.</summary>
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "RaBackend.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"no RaBackend.sln above {AppContext.BaseDirectory}");
    }
}
