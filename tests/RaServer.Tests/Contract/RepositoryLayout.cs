namespace RaServer.Tests.Contract;

/// <summary>Locates files of the repository from the test's output folder.</summary>
internal static class RepositoryLayout
{
    /// <summary>The folder holding RaBackend.sln, found by walking up from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The buf CLI installed by <c>npm ci --prefix tools/buf</c> at the pinned version.</summary>
    public static string BufExecutable => Path.Combine(Root, "tools", "buf", "node_modules", ".bin", "buf");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RaBackend.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException(
            $"No RaBackend.sln in {AppContext.BaseDirectory} or any folder above it.");
    }
}
