using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RaServer.Hosting;
using RaServer.Tests.Fixtures;

namespace RaServer.Tests.Hosting;

/// <summary>The server reads its configuration files from beside its binary, wherever it was started from.</summary>
// It changes the process's working directory, so it runs alone.
[Collection(Serial.Name)]
public sealed class ConfigurationFilesTests
{
    [Fact]
    public async Task Started_from_another_folder_the_server_still_reads_the_appsettings_beside_its_binary()
    {
        var elsewhere = Directory.CreateTempSubdirectory("ra-cwd-").FullName;
        var before = Directory.GetCurrentDirectory();
        try
        {
            Directory.SetCurrentDirectory(elsewhere);
            await using var app = RaServerApp.Build([], new Dictionary<string, string?> { ["Server:TlsEnabled"] = "false", ["EmbeddedCa:KeyPassphrase"] = "configuration files test" });

            Assert.Equal(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory),
                Path.TrimEndingDirectorySeparator(app.Services.GetRequiredService<IHostEnvironment>().ContentRootPath));
            // A value only the shipped appsettings.json holds.
            Assert.Equal("14", app.Configuration["Fees:PaymentDeadlineDays"]);
            Assert.NotEmpty(app.Configuration.GetSection("Fees:Schedule").GetChildren());
        }
        finally
        {
            Directory.SetCurrentDirectory(before);
            Directory.Delete(elsewhere, recursive: true);
        }
    }
}
