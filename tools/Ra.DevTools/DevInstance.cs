using System.Globalization;
using System.Numerics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Npgsql;
using Ra.DevPki;
using RaServer.Hosting;
using RaServer.Storage;

namespace DevTools;

/// <summary>
/// One running local RA: its dev PKI, its PostgreSQL cluster (unless a connection string is configured) and the
/// server, all under one folder. Instances in different folders share nothing, so they run side by side.
/// </summary>
public sealed class DevInstance : IAsyncDisposable
{
    /// <summary>Used when free, so the README's commands work without --server; otherwise the OS picks.</summary>
    public const int PreferredGrpcPort = 5443;
    public const int PreferredCaHttpPort = 8088;

    private DevInstance(string folder, DevPki pki, LocalPostgresCluster? cluster, string connectionString, WebApplication app)
    {
        Folder = folder;
        Pki = pki;
        Cluster = cluster;
        ConnectionString = connectionString;
        App = app;
        var addresses = (app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
            .Select(a => new Uri(a)).ToList();
        // gRPC is the TLS listener; with --Server:TlsEnabled=false both are plain HTTP and the CA's is the configured one.
        var caPort = app.Configuration.GetValue<int>("EmbeddedCa:HttpPort");
        CaAddress = addresses.FirstOrDefault(a => a.Scheme == Uri.UriSchemeHttp && (caPort == 0 || a.Port == caPort));
        GrpcAddress = addresses.FirstOrDefault(a => a.Scheme == Uri.UriSchemeHttps) ?? addresses.First(a => a != CaAddress);
    }

    public string Folder { get; }
    public DevPki Pki { get; }

    /// <summary>Null when Database:ConnectionString points elsewhere.</summary>
    public LocalPostgresCluster? Cluster { get; }

    public string ConnectionString { get; }
    public WebApplication App { get; }

    /// <summary>Where the server really listens (gRPC over TLS), read back from Kestrel.</summary>
    public Uri GrpcAddress { get; }

    /// <summary>The embedded CA's plain HTTP listener.</summary>
    public Uri? CaAddress { get; }

    public static async Task<DevInstance> StartAsync(DevArguments arguments, CancellationToken ct = default)
    {
        var folder = Path.GetFullPath(arguments.Dir);
        var pki = await DevPkiGenerator.GenerateAsync(Path.Combine(folder, "pki"));
        RefreshCrls(pki);
        var remembered = InstancePorts.Load(folder);

        var configured = arguments.Configuration.GetValueOrDefault("Database:ConnectionString")
            ?? Environment.GetEnvironmentVariable("Database__ConnectionString");
        var cluster = string.IsNullOrWhiteSpace(configured)
            ? new LocalPostgresCluster(new LocalPostgresClusterOptions
            {
                Folder = Path.Combine(folder, "pg"),
                Port = arguments.PgPort ?? FreePorts.FirstFree(remembered.Postgres),
            })
            : null;
        WebApplication? app = null;
        try
        {
            if (cluster is not null)
                await cluster.StartAsync(ct);
            var connectionString = cluster?.ConnectionString ?? configured!;
            await using (var dataSource = NpgsqlDataSource.Create(connectionString))
                await Migrator.MigrateAsync(dataSource, Migrator.DefaultFolder, null, ct);

            var settings = DevSettings.For(pki, connectionString, arguments.Port ?? FreePorts.FirstFree(remembered.Grpc, PreferredGrpcPort));
            settings["Mail:PickupFolder"] = Path.Combine(folder, "mail"); // notices land here as .eml files
            // The CA's address is written into the certificates it issues, so it stays put across restarts when it can.
            settings["EmbeddedCa:HttpPort"] = FreePorts.FirstFree(remembered.CaHttp, PreferredCaHttpPort).ToString(CultureInfo.InvariantCulture);
            foreach (var (key, value) in arguments.Configuration)
                settings[key] = value; // the command line overrides every dev default
            app = RaServerApp.Build([], settings);
            await app.StartAsync(ct);

            var instance = new DevInstance(folder, pki, cluster, connectionString, app);
            new InstancePorts(cluster?.Port ?? remembered.Postgres, instance.GrpcAddress.Port, instance.CaAddress?.Port ?? remembered.CaHttp)
                .Save(folder);
            return instance;
        }
        catch
        {
            if (app is not null)
                await app.DisposeAsync();
            if (cluster is not null)
                await cluster.StopAsync(CancellationToken.None);
            throw;
        }
    }

    /// <summary>Stops the server, then the cluster if this instance started it (an adopted one keeps running).</summary>
    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        if (Cluster is not null)
            await Cluster.StopAsync();
    }

    /// <summary>
    /// The dev CRLs last seven days; a fresh set on every start keeps a long-lived dev PKI usable (a stale
    /// CRL makes the RA refuse every signed request, as it must). The number is the time, so it always rises.
    /// </summary>
    private static void RefreshCrls(DevPki pki)
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var ca in new[] { DevCa.Grca, DevCa.Moeaca, DevCa.Moica, DevCa.Gca })
            pki.ReissueCrl(ca, [], new BigInteger(now.ToUnixTimeSeconds()), now, now.AddDays(7));
    }
}
