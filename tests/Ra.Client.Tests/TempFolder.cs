namespace Ra.Client.Tests;

/// <summary>A fresh folder per test, removed afterwards.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("ra-client-tests-").FullName;

    public string At(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public string Write(string name, string content)
    {
        var file = At(name);
        File.WriteAllText(file, content);
        return file;
    }

    public void Dispose()
    {
        if (Directory.Exists(Path))
            Directory.Delete(Path, recursive: true);
    }
}
