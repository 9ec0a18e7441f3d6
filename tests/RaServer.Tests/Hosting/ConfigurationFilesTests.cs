using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RaServer.Hosting;

namespace RaServer.Tests.Hosting;

/// <summary>Tests that change process-wide state (the working directory) run alone, after the parallel ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideState
{
    public const string Name = "process-wide state";
}

/// <summary>The server reads its configuration files from beside its binary, wherever it was started from.</summary>
[Collection(ProcessWideState.Name)]
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
            await using var app = RaServerApp.Build([], new Dictionary<string, string?> { ["Server:TlsEnabled"] = "false" });

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
