using System.Numerics;
using Npgsql;
using Ra.DevPki;
using RaServer.Storage;
using RaServer.Hosting;

namespace DevTools;

/// <summary>
/// `ra-dev dev`: the one-command local start. It makes (once) the development PKI, starts a local
/// PostgreSQL cluster unless Database:ConnectionString is set, migrates, serves, and on Ctrl+C stops both.
/// `ra-dev devpki` only makes the PKI.
/// </summary>
public static class DevCommand
{
    public static async Task<int> GeneratePkiAsync(string[] args)
    {
        var folder = Path.Combine(RaServerCommands.Option(args, "--dir", ".ra-dev"), "pki");
        var pki = await DevPkiGenerator.GenerateAsync(folder);
        Console.WriteLine($"development PKI in {pki.Folder} (see {pki.Readme})");
        return 0;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var root = Path.GetFullPath(RaServerCommands.Option(args, "--dir", ".ra-dev"));
        var pki = await DevPkiGenerator.GenerateAsync(Path.Combine(root, "pki"));
        RefreshCrls(pki);

        var configured = Environment.GetEnvironmentVariable("Database__ConnectionString");
        await using var cluster = string.IsNullOrWhiteSpace(configured)
            ? new LocalPostgresCluster(new LocalPostgresClusterOptions { Folder = Path.Combine(root, "pg"), Port = 55432 })
            : null;
        if (cluster is not null)
            await cluster.StartAsync();
        var connectionString = cluster?.ConnectionString ?? configured!;

        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
            await Migrator.MigrateAsync(dataSource, Migrator.DefaultFolder, null, CancellationToken.None);

        var port = int.Parse(RaServerCommands.Option(args, "--port", "5443"), System.Globalization.CultureInfo.InvariantCulture);
        var settings = DevSettings.For(pki, connectionString, port);
        settings["Mail:PickupFolder"] = Path.Combine(root, "mail"); // notices land here as .eml files
        var app = RaServerApp.Build([], settings);
        await app.StartAsync();
        Console.WriteLine(Banner(pki, port, connectionString));
        await app.WaitForShutdownAsync();
        return 0;
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

    private static string Banner(DevPki pki, int port, string connectionString) => $"""

        RaServer is listening on https://127.0.0.1:{port} (gRPC over TLS; health and reflection are on).
          PostgreSQL:     {new NpgsqlConnectionStringBuilder(connectionString) { Password = null }}
          Dev PKI:        {pki.Folder} (p12 password "{DevPki.Password}"; see README.txt there)
          Server CA:      {pki.TlsCaCertificate}
          E-mail notices: {Path.Combine(Path.GetDirectoryName(pki.Folder)!, "mail")} (.eml files)

        Call it:
          dotnet run --project src/Clients/Ra.Cli -- --server https://127.0.0.1:{port} --ca {pki.TlsCaCertificate} info
          dotnet run --project src/Clients/Ra.Cli -- --server https://127.0.0.1:{port} --ca {pki.TlsCaCertificate} health
          dotnet run --project src/Clients/Ra.Cli -- --server https://127.0.0.1:{port} --ca {pki.TlsCaCertificate} \
              --client-p12 {pki.ClientP12(DevClient.All[1])} registry-upsert-operator 04595252 測試報關股份有限公司 AA 207/0
        Press Ctrl+C to stop the server and the local PostgreSQL cluster.
        """;
}
