using System.Security.Cryptography.X509Certificates;
using Dapper;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Ra.Client;
using Ra.Client.Signing;
using Ra.DevPki;
using DevTools;
using RaServer.Hosting;
using RaServer.Tests.Fixtures;

namespace RaServer.Tests.Harness;

/// <summary>
/// A real RaServer for integration tests: the same RaServerApp and DevSettings as `RaServer dev`, on
/// 127.0.0.1 with a free port, TLS and mTLS from the shared dev PKI, and a fresh migrated database.
/// Tests call it through real gRPC channels.
/// </summary>
public sealed class RaServerHarness : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly List<GrpcChannel> channels = [];
    private readonly string? crlFolder;

    private readonly string mailFolder;

    private RaServerHarness(
        WebApplication app, DevPki pki, string connectionString, Uri address, FakeTimeProvider clock, TimeProvider time, string? crlFolder, string mailFolder)
    {
        Time = time;
        this.mailFolder = mailFolder;
        this.app = app;
        Pki = pki;
        ConnectionString = connectionString;
        Address = address;
        Clock = clock;
        this.crlFolder = crlFolder;
    }

    public DevPki Pki { get; }
    public string ConnectionString { get; }
    public Uri Address { get; }
    /// <summary>The embedded CA's plain HTTP listener (CMP, CRL, CA certificates); null with Ca:Mode=Cmp, where none runs.</summary>
    public required Uri? CaAddress { get; init; }
    /// <summary>The server's clock; starts at the real time and moves only when a test moves it.</summary>
    public FakeTimeProvider Clock { get; }
    /// <summary>
    /// The clock the server runs on: <see cref="Clock"/>, unless the test started it with its own (the fault tests'
    /// real-time clock that can jump). The harness's signers and payments read this one.
    /// </summary>
    public TimeProvider Time { get; }
    public IServiceProvider Services => app.Services;

    /// <param name="crls">CRLs to serve instead of the dev PKI's files (per issuing CA), for revocation tests.</param>
    /// <param name="connectionString">An existing database (a second replica); by default a fresh one.</param>
    /// <param name="time">The server's clock instead of <paramref name="clock"/> (which then only the test moves).</param>
    public static async Task<RaServerHarness> StartAsync(
        PostgresFixture postgres,
        IReadOnlyDictionary<DevCa, byte[]>? crls = null,
        Action<Dictionary<string, string?>>? configure = null,
        string? connectionString = null,
        FakeTimeProvider? clock = null,
        SmtpServerFixture? smtp = null,
        TimeProvider? time = null)
    {
        var pki = await SharedDevPki.GetAsync();
        connectionString ??= await postgres.CreateDatabaseAsync();
        clock ??= new FakeTimeProvider(DateTimeOffset.UtcNow);
        var serverTime = time ?? clock;
        var settings = DevSettings.For(pki, connectionString, port: 0);

        string? crlFolder = null;
        if (crls is not null)
        {
            crlFolder = Directory.CreateTempSubdirectory("ra-test-crls-").FullName;
            var files = pki.CrlFiles.Select(f => Path.Combine(crlFolder, Path.GetFileName(f))).ToList();
            foreach (var (source, target) in pki.CrlFiles.Zip(files))
                File.Copy(source, target);
            foreach (var (ca, der) in crls)
                await File.WriteAllBytesAsync(Path.Combine(crlFolder, Path.GetFileName(pki.Crl(ca))), der);
            for (var i = 0; i < files.Count; i++)
                settings[$"Trust:CrlFiles:{i}"] = files[i];
        }
        settings["Logging:LogLevel:Default"] = "Warning";
        // The background loops tick on the fake clock; tests that jump days ahead drive them explicitly
        // (RunOnceAsync) so that a jump does not set off a run that races the test's own.
        settings["Sweeper:Interval"] = "40.00:00:00"; // PeriodicTimer takes at most ~49 days
        settings["Mail:PollInterval"] = "40.00:00:00";
        settings["ExpiryNotices:CheckInterval"] = "40.00:00:00";
        var mailFolder = Directory.CreateTempSubdirectory("ra-test-mail-").FullName;
        settings["Mail:PickupFolder"] = mailFolder;
        settings["EmbeddedCa:HttpPort"] = "0";
        settings["CaDispatch:Concurrency"] = "0"; // tests deliver CA requests with CaRequestDispatcher.RunOnceAsync
        settings["EmbeddedCa:KeySealingIterations"] = "1000"; // every test server makes its own CA: keep that cheap
        if (smtp is not null)
        {
            settings["Mail:Transport"] = "Smtp";
            settings["Mail:Smtp:Host"] = smtp.Host;
            settings["Mail:Smtp:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings["Mail:Smtp:Security"] = "None";
        }
        configure?.Invoke(settings);

        var app = RaServerApp.Build([], settings, services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton(serverTime);
        });
        try
        {
            await app.StartAsync();
        }
        catch
        {
            // Tests of start-up refusals end here: leave no folders behind.
            await app.DisposeAsync();
            Directory.Delete(mailFolder, recursive: true);
            if (crlFolder is not null)
                Directory.Delete(crlFolder, recursive: true);
            throw;
        }
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        var address = addresses.Single(a => a.StartsWith("https://", StringComparison.Ordinal));
        return new RaServerHarness(app, pki, connectionString, new Uri(address), clock, serverTime, crlFolder, mailFolder)
        {
            CaAddress = addresses.SingleOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal)) is { } listener ? new Uri(listener) : null,
        };
    }

    /// <summary>A channel that trusts the dev TLS CA; with a client, it presents that client's mTLS certificate.</summary>
    public GrpcChannel Channel(DevClient? client = null) => Channel(client is null ? null : DevPki.LoadP12(Pki.ClientP12(client)));

    public GrpcChannel Channel(X509Certificate2? clientCertificate)
    {
        var channel = RaChannel.Create(Address, X509CertificateLoader.LoadCertificateFromFile(Pki.TlsCaCertificate), clientCertificate);
        channels.Add(channel);
        return channel;
    }

    public static DevClient Client(string fileName) => DevClient.All.Single(c => c.FileName == fileName);

    /// <summary>Signs as the dev test company (UBN 04595252, MOEACA) with the server's clock.</summary>
    public RequestSigner CompanySigner() => new(DevPki.LoadP12(Pki.CompanyP12), Time);

    /// <summary>Signs as the dev test broker (MOICA, 測試人員, ID ending 6789) with the server's clock.</summary>
    public RequestSigner BrokerSigner() => new(DevPki.LoadP12(Pki.BrokerP12), Time);

    private long auditMark;
    private Dictionary<string, long> countMarks = [];

    /// <summary>
    /// For a server that the tests of a class share (<see cref="SharedRaServer"/>): from here on, the counts and
    /// refusal lists below cover only what happened after this call, so each test asserts on exactly what it did, as
    /// it would on a fresh server. Tests in a class run one at a time, so nothing else writes in between.
    /// </summary>
    public async Task BeginTestAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        auditMark = await connection.ExecuteScalarAsync<long>("SELECT coalesce(max(id), 0) FROM audit_log");
        var tables = await connection.QueryAsync<string>(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'");
        var counts = new Dictionary<string, long>();
        foreach (var table in tables)
            counts[table] = await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table}");
        foreach (var (kind, count) in await connection.QueryAsync<(string, long)>("SELECT kind, count(*) FROM mail_outbox GROUP BY kind"))
            counts[MailKey(kind)] = count;
        countMarks = counts;
    }

    /// <summary>The reasons of the refusals in the audit log, oldest first (since <see cref="BeginTestAsync"/>).</summary>
    public async Task<IReadOnlyList<string>> RefusalReasonsAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return (await connection.QueryAsync<string>(
            "SELECT reason FROM audit_log WHERE outcome = 'REFUSED' AND id > @auditMark ORDER BY id", new { auditMark })).ToList();
    }

    /// <summary>The rows of <paramref name="table"/> (added since <see cref="BeginTestAsync"/>).</summary>
    public async Task<long> CountAsync(string table)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table}") - countMarks.GetValueOrDefault(table);
    }

    /// <summary>The notices of one kind in the mail outbox (added since <see cref="BeginTestAsync"/>).</summary>
    public async Task<long> MailCountAsync(string kind)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM mail_outbox WHERE kind = @kind", new { kind })
            - countMarks.GetValueOrDefault(MailKey(kind));
    }

    private static string MailKey(string kind) => "mail_outbox:" + kind;

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in channels)
            channel.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        if (crlFolder is not null)
            Directory.Delete(crlFolder, recursive: true);
        Directory.Delete(mailFolder, recursive: true);
    }
}
