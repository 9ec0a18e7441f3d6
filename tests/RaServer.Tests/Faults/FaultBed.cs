using System.Globalization;
using Dapper;
using Npgsql;
using RaServer.Tests.CaFaults;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;

namespace RaServer.Tests.Faults;

/// <summary>Which CA the replicas of a <see cref="FaultBed"/> use.</summary>
public enum CaSetup
{
    /// <summary>The embedded CA, in each replica's process, its store in the RA's database.</summary>
    Embedded,

    /// <summary>An external CA over CMP (<see cref="CmpCaTestBed"/>: a real embedded CA in another server behind a <see cref="CaRelay"/>).</summary>
    Cmp,
}

/// <summary>
/// Two RA replicas on one PostgreSQL database, both in this test process (two hosts of the real server), running their
/// background workers as in production, on one <see cref="JumpingClock"/> (they share a machine), with short polls,
/// backoffs, leases and timeouts so that a fault and its recovery fit in seconds.
/// </summary>
public sealed class FaultBed : IAsyncDisposable
{
    /// <summary>The RA's per-attempt CMP timeout here; a CA slower than this is given up on.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(1);

    /// <summary>How long a worker's CA requests stay its own without renewal (renewed every third of it).</summary>
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(3);

    private readonly List<RaServerHarness> ownReplicas;

    private FaultBed(CaSetup ca, JumpingClock clock, IReadOnlyList<RaServerHarness> replicas, CmpCaTestBed? cmp, List<RaServerHarness> ownReplicas)
    {
        Ca = ca;
        Clock = clock;
        Replicas = replicas;
        Cmp = cmp;
        this.ownReplicas = ownReplicas;
    }

    public CaSetup Ca { get; }

    /// <summary>The clock of both replicas (and of the CMP bed's CA).</summary>
    public JumpingClock Clock { get; }

    public IReadOnlyList<RaServerHarness> Replicas { get; }

    /// <summary>The CMP bed in <see cref="CaSetup.Cmp"/>, null with the embedded CA.</summary>
    public CmpCaTestBed? Cmp { get; }

    public CaRelay Relay => Cmp?.Relay ?? throw new InvalidOperationException("only the CMP setup has a relay");

    public string ConnectionString => Replicas[0].ConnectionString;

    /// <param name="configure">More settings for both replicas, applied after the bed's own.</param>
    public static async Task<FaultBed> StartAsync(
        PostgresFixture postgres, CaSetup ca, SmtpServerFixture? smtp = null, Action<Dictionary<string, string?>>? configure = null)
    {
        var clock = new JumpingClock();
        void Settings(Dictionary<string, string?> settings)
        {
            Quick(settings);
            configure?.Invoke(settings);
        }

        if (ca == CaSetup.Cmp)
        {
            var bed = await CmpCaTestBed.StartAsync(postgres, configure: Settings, time: clock, smtp: smtp);
            var second = await bed.StartReplicaAsync(postgres);
            return new FaultBed(ca, clock, [bed.Ra, second], bed, []);
        }
        var first = await RaServerHarness.StartAsync(postgres, configure: Settings, time: clock, smtp: smtp);
        var other = await RaServerHarness.StartAsync(postgres, connectionString: first.ConnectionString, configure: Settings, time: clock, smtp: smtp);
        List<RaServerHarness> replicas = [first, other];
        return new FaultBed(ca, clock, replicas, null, replicas);
    }

    /// <summary>
    /// The workers on, polling often; retries after a fifth of a second, never more than a second apart, so a
    /// fault's backlog drains within seconds of its end.
    /// </summary>
    private static void Quick(Dictionary<string, string?> settings)
    {
        static string Span(TimeSpan t) => t.ToString("c", CultureInfo.InvariantCulture);
        // The faults make the workers log a warning per attempt; the figures say what happened.
        settings["Logging:LogLevel:Default"] = "Error";
        settings["Logging:LogLevel:CaConnector.ResilientCaConnector"] = "Critical"; // "circuit opened" is what these faults do
        settings["CaDispatch:Concurrency"] = "2";
        settings["CaDispatch:BatchSize"] = "4";
        settings["CaDispatch:PollInterval"] = Span(TimeSpan.FromMilliseconds(200));
        settings["CaDispatch:FirstRetryDelay"] = Span(TimeSpan.FromMilliseconds(200));
        settings["CaDispatch:MaxBackoff"] = Span(TimeSpan.FromSeconds(1));
        settings["CaDispatch:LeaseDuration"] = Span(LeaseDuration);
        settings["Ca:Resilience:MaxRetryAttempts"] = "0";
        settings["Ca:Resilience:AttemptTimeout"] = Span(AttemptTimeout);
        settings["Ca:Resilience:BreakerBreakDuration"] = Span(TimeSpan.FromSeconds(1));
        settings["Mail:PollInterval"] = Span(TimeSpan.FromMilliseconds(200));
        settings["Mail:FirstRetryDelay"] = Span(TimeSpan.FromMilliseconds(300));
        settings["Mail:MaxBackoff"] = Span(TimeSpan.FromSeconds(1));
    }

    /// <summary>The serials the CA has issued, where that CA keeps them, as the RA writes them (hex, no leading zeros).</summary>
    public async Task<IReadOnlyList<string>> CaSerialsAsync()
    {
        if (Cmp is not null)
            return await Cmp.CaSerialsAsync();
        await using var connection = new NpgsqlConnection(ConnectionString);
        var serials = await connection.QueryAsync<byte[]>("SELECT serial FROM embedded_ca_certificates ORDER BY serial");
        return serials.Select(s => Convert.ToHexString(s).TrimStart('0')).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        if (Cmp is not null)
            await Cmp.DisposeAsync();
        foreach (var replica in ownReplicas)
            await replica.DisposeAsync();
    }
}
