using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Ra.Client;
using Ra.DevPki;
using DevTools;
using RaServer.Hosting;
using RaServer.Storage;

namespace RaBench;

/// <summary>
/// Everything a benchmark run needs, started by the run itself in temp folders: a throwaway PostgreSQL cluster
/// (durable commits, as the targets demand), a dev PKI, and the real RaServer on 127.0.0.1 with free ports. The
/// server settings follow the test harness (tests/RaServer.Tests/Harness/RaServerHarness.cs), minus the fake clock:
/// the bench runs on real time.
/// </summary>
public sealed class BenchEnvironment : IAsyncDisposable
{
    private readonly string folder;
    private readonly LocalPostgresCluster cluster;
    private readonly WebApplication app;

    private BenchEnvironment(string folder, LocalPostgresCluster cluster, DevPki pki, WebApplication app, Uri address, Uri caAddress, BenchVariant variant,
        IReadOnlyDictionary<string, string?> serverSettings)
    {
        ServerSettings = serverSettings;
        CaAddress = caAddress;
        this.folder = folder;
        this.cluster = cluster;
        Pki = pki;
        this.app = app;
        Address = address;
        Variant = variant;
        Meter = new ServerMeter(cluster.ConnectionString, cluster.DataDirectory);
    }

    public BenchVariant Variant { get; }

    /// <summary>The settings the hosted server was built with, so a RaServer started as a child process (the
    /// <c>startup</c> scenario) runs against the same database, PKI and CA, with ports of its own.</summary>
    public IReadOnlyDictionary<string, string?> ServerSettings { get; }
    public ServerMeter Meter { get; }
    public string Folder => folder;

    public DevPki Pki { get; }
    public Uri Address { get; }

    /// <summary>The embedded CA's plain HTTP listener (CMP, CRL), on a port of its own.</summary>
    public Uri CaAddress { get; }
    public IServiceProvider Services => app.Services;

    public LocalPostgresCluster Cluster => cluster;
    public string ConnectionString => cluster.ConnectionString;

    /// <param name="prepare">Writes what a scenario needs on disk before the server starts (a pinned CMP client
    /// certificate) into the run's folder and returns the settings that point at it; a variant's settings still come last.</param>
    public static async Task<BenchEnvironment> StartAsync(BenchVariant variant, Func<string, IReadOnlyDictionary<string, string>>? prepare = null)
    {
        var folder = Directory.CreateTempSubdirectory("ra-bench-").FullName;
        var cluster = new LocalPostgresCluster(new LocalPostgresClusterOptions
        {
            Folder = Path.Combine(folder, "pg"),
            // Statements per operation are counted by pg_stat_statements, utility statements (BEGIN, COMMIT, the
            // driver's connection reset) included.
            ExtraSettings = ["shared_preload_libraries = 'pg_stat_statements'", "pg_stat_statements.track_utility = on", "pg_stat_statements.max = 5000"],
        });
        try
        {
            await cluster.StartAsync();
            await using (var dataSource = NpgsqlDataSource.Create(cluster.ConnectionString))
            {
                await Migrator.MigrateAsync(dataSource, Migrator.DefaultFolder, logger: null, CancellationToken.None);
                await using var extension = dataSource.CreateCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
                await extension.ExecuteNonQueryAsync();
            }
            var pki = await DevPkiGenerator.GenerateAsync(Path.Combine(folder, "pki"));
            var prepared = prepare?.Invoke(folder) ?? new Dictionary<string, string>();
            var settings = Settings(pki, cluster.ConnectionString, folder, prepared, variant);
            var app = RaServerApp.Build(["--contentRoot", AppContext.BaseDirectory], settings);
            await app.StartAsync();
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
            var address = new Uri(addresses.Single(a => a.StartsWith("https://", StringComparison.Ordinal)));
            var caAddress = new Uri(addresses.Single(a => a.StartsWith("http://", StringComparison.Ordinal)));
            return new BenchEnvironment(folder, cluster, pki, app, address, caAddress, variant, settings);
        }
        catch
        {
            // Never leave a PostgreSQL server behind when the start fails half-way.
            await cluster.StopAsync();
            throw;
        }
    }

    private static Dictionary<string, string?> Settings(DevPki pki, string connectionString, string folder,
        IReadOnlyDictionary<string, string> prepared, BenchVariant variant)
    {
        var settings = DevSettings.For(pki, connectionString, port: 0);
        settings["Logging:LogLevel:Default"] = "Warning";
        settings["EmbeddedCa:HttpPort"] = "0";
        // Every run makes a fresh CA; the OWASP iteration count would only slow the start.
        settings["EmbeddedCa:KeySealingIterations"] = "1000";
        settings["Sweeper:Interval"] = "40.00:00:00";
        settings["Mail:PollInterval"] = "40.00:00:00";
        settings["Mail:PickupFolder"] = Path.Combine(folder, "mail");
        foreach (var (key, value) in prepared)
            settings[key] = value;
        // A variant's settings last, so a lever's before/after differs in exactly them.
        foreach (var (key, value) in variant.WithConnectionString(connectionString).Settings)
            settings[key] = value;
        return settings;
    }

    /// <summary>A new channel (its own HTTP/2 connection); with a client name, it presents that role's mTLS certificate.</summary>
    public GrpcChannel Channel(string? clientFileName = null)
    {
        var client = clientFileName is null ? null : DevPki.LoadP12(Pki.ClientP12(DevClient.All.Single(c => c.FileName == clientFileName)));
        return RaChannel.Create(Address, X509CertificateLoader.LoadCertificateFromFile(Pki.TlsCaCertificate), client);
    }

    public X509Certificate2 CompanyCertificate() => DevPki.LoadP12(Pki.CompanyP12);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        await cluster.StopAsync();
        try
        {
            Directory.Delete(cluster.Folder, recursive: true);
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; the figures are already printed.
        }
    }
}
