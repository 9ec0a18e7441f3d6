using System.Globalization;
using EmbeddedCa;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;

namespace RaServer.Tests.CaFaults;

/// <summary>
/// An RA with Ca:Mode=Cmp, talking through a <see cref="CaRelay"/> to the CMP endpoint of a real embedded CA that
/// runs in a second server with its own database, as an external CA would; the RA reads that CA's CRL. The RA signs with the dev PKI's
/// registry client certificate, which the CA trusts (DevSettings). In-call retries are off so each dispatcher run
/// makes exactly one attempt per request; the outbox does the retrying, on the RA's fake clock.
/// </summary>
public sealed class CmpCaTestBed : IAsyncDisposable
{
    /// <summary>The per-attempt timeout on the RA's fake clock; a test that hangs the CA moves the clock past it.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Longer than any outbox backoff these settings allow, so every waiting request is due again.</summary>
    public static readonly TimeSpan PastBackoff = TimeSpan.FromSeconds(3);

    private readonly string folder;
    private readonly List<RaServerHarness> replicas = [];
    private readonly Action<Dictionary<string, string?>>? configure;
    private readonly TimeProvider? time;
    private readonly SmtpServerFixture? smtp;

    private CmpCaTestBed(
        RaServerHarness ca, CaRelay relay, string folder, Action<Dictionary<string, string?>>? configure, TimeProvider? time, SmtpServerFixture? smtp)
    {
        Ca = ca;
        Relay = relay;
        this.folder = folder;
        this.configure = configure;
        this.time = time;
        this.smtp = smtp;
    }

    /// <summary>The server whose embedded CA plays the external CA.</summary>
    public RaServerHarness Ca { get; }

    public CaRelay Relay { get; }

    /// <summary>The RA under test (the first replica).</summary>
    public RaServerHarness Ra => replicas[0];

    /// <param name="caReachable">False starts with nothing listening on the relay's port (connection refused).</param>
    /// <param name="configure">More RA settings (resilience, dispatch), applied after the bed's own.</param>
    /// <param name="time">The clock of the CA and every RA replica instead of each server's own fake clock.</param>
    /// <param name="smtp">The SMTP server the RA replicas send mail to, instead of their pickup folders.</param>
    public static async Task<CmpCaTestBed> StartAsync(
        PostgresFixture postgres, bool caReachable = true, Action<Dictionary<string, string?>>? configure = null,
        TimeProvider? time = null, SmtpServerFixture? smtp = null)
    {
        var ca = await RaServerHarness.StartAsync(postgres, time: time);
        var folder = Directory.CreateTempSubdirectory("ra-cmp-faults-").FullName;
        var material = await ca.Services.GetRequiredService<EmbeddedCertificateAuthority>().GetMaterialAsync(CancellationToken.None);
        await File.WriteAllTextAsync(Path.Combine(folder, "cmp-signer.pem"), material.CmpSigner.ExportCertificatePem());
        await File.WriteAllTextAsync(Path.Combine(folder, "issuing.pem"), material.Issuing.ExportCertificatePem());
        var relay = caReachable ? CaRelay.Up(ca.CaAddress!) : CaRelay.Down(ca.CaAddress!);
        var bed = new CmpCaTestBed(ca, relay, folder, configure, time, smtp);
        await bed.StartReplicaAsync(postgres);
        return bed;
    }

    /// <summary>Another RA replica on the RA's database (the first call makes that database).</summary>
    public async Task<RaServerHarness> StartReplicaAsync(PostgresFixture postgres)
    {
        var replica = await RaServerHarness.StartAsync(postgres, connectionString: replicas.FirstOrDefault()?.ConnectionString, time: time, smtp: smtp, configure: settings =>
        {
            var registry = RaServerHarness.Client("registry");
            var pki = Ca.Pki;
            settings["Ca:Mode"] = "Cmp";
            settings["Ca:Cmp:ServerUri"] = Relay.Address.AbsoluteUri;
            settings["Ca:Cmp:RaCertificatePath"] = pki.ClientCertificate(registry);
            settings["Ca:Cmp:RaKeyPath"] = pki.ClientKey(registry);
            settings["Ca:Cmp:CaServerCertificatePath"] = Path.Combine(folder, "cmp-signer.pem");
            // The CA's CRL straight from it, not through the relay: the faults the relay makes are the CMP line's.
            settings["Ca:CrlUrl"] = new Uri(Ca.CaAddress!, EmbeddedCaPaths.Crl).AbsoluteUri;
            settings["Ca:IssuerCertificatePath"] = Path.Combine(folder, "issuing.pem");
            settings["Ca:Resilience:MaxRetryAttempts"] = "0";
            settings["Ca:Resilience:AttemptTimeout"] = AttemptTimeout.ToString("c", CultureInfo.InvariantCulture);
            settings["CaDispatch:FirstRetryDelay"] = "00:00:01";
            settings["CaDispatch:MaxBackoff"] = "00:00:02";
            configure?.Invoke(settings);
        });
        replicas.Add(replica);
        return replica;
    }

    /// <summary>Certificates the CA has issued, in its own database.</summary>
    public Task<long> CaCertificatesAsync() => Ca.CountAsync("embedded_ca_certificates");

    /// <summary>The serials the CA has issued, as the RA writes them (hex, no leading zeros).</summary>
    public async Task<IReadOnlyList<string>> CaSerialsAsync()
    {
        await using var connection = new NpgsqlConnection(Ca.ConnectionString);
        var serials = await connection.QueryAsync<byte[]>("SELECT serial FROM embedded_ca_certificates ORDER BY serial");
        return serials.Select(s => Convert.ToHexString(s).TrimStart('0')).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in replicas)
            await replica.DisposeAsync();
        await Relay.DisposeAsync();
        await Ca.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }
}
