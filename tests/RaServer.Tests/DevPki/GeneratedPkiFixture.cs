using Ra.DevPki;

namespace RaServer.Tests.DevPkiTests;

/// <summary>One generated dev PKI shared by a test class: generation makes a dozen RSA keys.</summary>
public sealed class GeneratedPkiFixture : IAsyncLifetime
{
    private readonly TempFolder _folder = new();

    public string Folder => System.IO.Path.Combine(_folder.Path, "pki");

    public Ra.DevPki.DevPki Pki { get; private set; } = null!;

    public async Task InitializeAsync() => Pki = await DevPkiGenerator.GenerateAsync(Folder);

    public Task DisposeAsync()
    {
        _folder.Dispose();
        return Task.CompletedTask;
    }
}
