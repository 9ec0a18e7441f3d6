using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Customs.Ra.V1;
using DevTools;
using Grpc.Net.Client;
using Ra.Client.Signing;
using Ra.DevPki;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;

namespace RaServer.FaultTests.Fixtures;

/// <summary>
/// Two RA replicas (child processes) on one database in embedded CA mode, with mail to a real SMTP server, and gRPC
/// clients for each: the set-up every fault test runs on. The CA request lease is short so that a killed replica's
/// requests come due on the other one within seconds, and every retry delay is short so the drain after a fault is
/// measured in seconds.
/// </summary>
public sealed class ReplicaPair : IAsyncDisposable
{
    /// <summary>CaDispatch:LeaseDuration: how long a killed replica's leased CA requests wait before the other sends them.</summary>
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(2);

    // One channel per replica and client, reused across the replica's restarts (a channel reconnects by itself).
    private readonly Dictionary<(int Replica, string? Client), GrpcChannel> _channels = [];
    private readonly X509Certificate2 _company;

    private ReplicaPair(DevPki pki, string connectionString, ReplicaProcess a, ReplicaProcess b)
    {
        Pki = pki;
        ConnectionString = connectionString;
        Replicas = [a, b];
        _company = DevPki.LoadP12(pki.CompanyP12);
        Signer = new RequestSigner(_company);
    }

    public DevPki Pki { get; }

    /// <summary>The database as the tests reach it: directly, even when the replicas go through a relay.</summary>
    public string ConnectionString { get; }

    public IReadOnlyList<ReplicaProcess> Replicas { get; }
    public ReplicaProcess A => Replicas[0];
    public ReplicaProcess B => Replicas[1];

    /// <summary>Signs as the dev test company (MOEACA, UBN 04595252) with the real clock, as a partner app does.</summary>
    public RequestSigner Signer { get; }

    /// <param name="serverConnectionString">What the replicas connect to (a relay in front of the database, say).</param>
    /// <param name="testConnectionString">What the test reads the database through.</param>
    public static async Task<ReplicaPair> StartAsync(
        string serverConnectionString, string testConnectionString, SmtpServerFixture smtp,
        Action<string, Dictionary<string, string?>>? configure = null)
    {
        var pki = await SharedDevPki.GetAsync();
        var replicas = new[] { "A", "B" }.Select(name =>
        {
            var settings = Settings(pki, serverConnectionString, smtp);
            configure?.Invoke(name, settings);
            return new ReplicaProcess(name, pki, settings);
        }).ToArray();
        var pair = new ReplicaPair(pki, testConnectionString, replicas[0], replicas[1]);
        try
        {
            // One after the other: the first makes the embedded CA's keys and certificates, the second loads them.
            await pair.A.StartAsync();
            await pair.B.StartAsync();
        }
        catch
        {
            await pair.DisposeAsync();
            throw;
        }
        return pair;
    }

    private static Dictionary<string, string?> Settings(DevPki pki, string connectionString, SmtpServerFixture smtp)
    {
        var settings = DevSettings.For(pki, connectionString, port: 0);
        settings["Logging:LogLevel:Default"] = "Warning";
        settings["EmbeddedCa:KeySealingIterations"] = "1000"; // each test's database gets its own CA: keep that cheap
        settings["CaDispatch:LeaseDuration"] = Format(LeaseDuration);
        settings["CaDispatch:PollInterval"] = "00:00:00.500";
        settings["CaDispatch:FirstRetryDelay"] = "00:00:00.500";
        settings["CaDispatch:MaxBackoff"] = "00:00:02";
        settings["Mail:Transport"] = "Smtp";
        settings["Mail:Smtp:Host"] = smtp.Host;
        settings["Mail:Smtp:Port"] = smtp.Port.ToString(CultureInfo.InvariantCulture);
        settings["Mail:Smtp:Security"] = "None";
        settings["Mail:PollInterval"] = "00:00:00.500";
        settings["Mail:FirstRetryDelay"] = "00:00:00.500";
        settings["Mail:MaxBackoff"] = "00:00:02";
        return settings;
    }

    private static string Format(TimeSpan span) => span.ToString("c", CultureInfo.InvariantCulture);

    public RegistrationAuthority.RegistrationAuthorityClient Applicants(int replica) => new(Channel(replica, null));

    public Payments.PaymentsClient Fees(int replica) => new(Channel(replica, "fees"));

    public Customs.Ra.V1.Registry.RegistryClient Registry(int replica) => new(Channel(replica, "registry"));

    private GrpcChannel Channel(int replica, string? client)
    {
        lock (_channels)
        {
            if (!_channels.TryGetValue((replica, client), out var channel))
            {
                var certificate = client is null ? null : DevPki.LoadP12(Pki.ClientP12(DevClient.All.Single(c => c.FileName == client)));
                _channels[(replica, client)] = channel = Replicas[replica].Channel(certificate);
            }
            return channel;
        }
    }

    /// <summary>The test company (an active customs broker), through replica A.</summary>
    public async Task LoadCompanyAsync() =>
        await Registry(0).UpsertOperatorAsync(new UpsertOperatorRequest
        {
            Operator = new Operator
            {
                Ubn = WorkflowScenario.FirmUbn, Name = WorkflowScenario.FirmName, Kind = OperatorKind.CustomsBroker,
                CustomsOfficeCode = "AA", BoxNumber = "207/0", Status = OperatorStatus.Active,
            },
        });

    public async ValueTask DisposeAsync()
    {
        lock (_channels)
        {
            foreach (var channel in _channels.Values)
                channel.Dispose();
            _channels.Clear();
        }
        foreach (var replica in Replicas)
            await replica.DisposeAsync();
        _company.Dispose();
    }
}
