using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CaConnector;
using EmbeddedCa;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RaBench.Crl;

namespace RaBench.Scenarios;

/// <summary>
/// T4. A million held and revoked certificates are put into the embedded CA's table by SQL; then the CA's own CRL
/// rebuild (EmbeddedCertificateAuthority.PublishCrlAsync: in the transaction that takes the CRL number the store reads
/// the listed certificates, the CA encodes and signs, the store saves the DER) is timed against a same-run baseline,
/// the CA's CrlSigner building and signing the same entries in memory with the same key. Timed twice per round: as a
/// new replica's first publication (a CA made like the server's, on the same database, reading the full list), and as
/// the server's own next one (its store has the list and reads only the changes since). .NET's
/// CertificateRevocationListBuilder, which the CA used before, is timed on the first 25,000, 50,000 and 100,000 of
/// the same entries: its time grows with the square of the list, so a million would take many minutes. The phases
/// are timed apart where they can be: the SQL read, the build and signature, the store, and the first fetch of the
/// new CRL over HTTP. Then status change → served CRL: a fresh certificate is revoked through the CA's status path
/// (RevokeAsync, which the RA's CA dispatcher calls), and the CRL is polled over HTTP from the CA's listener until it
/// lists the serial.
/// </summary>
public static class CrlScenario
{
    private const int Entries = 1_000_000;
    private const int Rounds = 3;
    private const int StatusChanges = 3;
    private static readonly TimeSpan RebuildTarget = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan VisibleTarget = TimeSpan.FromSeconds(1);

    public static async Task RunAsync(BenchEnvironment env)
    {
        Report.Heading("crl", $"T4: a {Entries:N0}-entry CRL rebuilt from PostgreSQL ≤ {RebuildTarget.TotalSeconds} s; a status change visible in the served CRL ≤ {VisibleTarget.TotalSeconds} s");
        var ca = env.Services.GetRequiredService<EmbeddedCertificateAuthority>();
        var material = await ca.GetMaterialAsync(CancellationToken.None);
        using var template = await IssueAsync(ca);
        await RevokedRows.InsertAsync(env, Entries, template.RawData, template.Subject);
        var signer = new CrlSigner(material);
        using var probe = new ServedCrlProbe(env.CaAddress);

        // The server's own CA catches up with the million changes the insert numbered: a rebuild from PostgreSQL too.
        var catchUp = Stopwatch.StartNew();
        await ca.PublishCrlAsync();
        catchUp.Stop();

        var read = new List<TimeSpan>();
        var baseline = new List<TimeSpan>();
        var cold = new List<TimeSpan>();
        var warm = new List<TimeSpan>();
        var served = new List<TimeSpan>();
        List<RevokedCertificate> entries = [];
        for (var round = 0; round < Rounds; round++)
        {
            entries = await Timed(read, () => RevokedRows.ReadAsync(env));
            var now = DateTimeOffset.UtcNow;
            await Timed(baseline, () => Task.FromResult(signer.Sign(entries, 1, now, now.AddDays(1))));
            using var replica = await NewReplicaAsync(env);
            await Timed(cold, async () => { await replica.PublishCrlAsync(); return 0; });
            await Timed(warm, async () => { await ca.PublishCrlAsync(); return 0; });
            await Timed(served, () => probe.FetchAsync(CancellationToken.None));
        }
        var dotnet = DotnetBuilderTimes(material, entries);
        var crl = probe.Latest!;
        var store = await TimeStoreAsync(env, crl);
        var complete = ServedCrlProbe.Lists(crl, entries[0].Serial) && ServedCrlProbe.Lists(crl, entries[^1].Serial);
        Report.Note(string.Create(CultureInfo.InvariantCulture,
            $"served CRL: {crl.Length / 1048576.0:F1} MiB for {entries.Count:N0} entries (first and last listed entry present: {complete})"));
        Report.Note($"SQL read of the listed certificates (the store's query, a plain reader): {Seconds(read)}");
        Report.Note($"build + sign in memory, the CA's CrlSigner (baseline):               {Seconds(baseline)}");
        Report.Note(".NET CertificateRevocationListBuilder build + sign, the first entries: " + string.Join(", ", dotnet.Select(d =>
            string.Create(CultureInfo.InvariantCulture, $"{d.Entries:N0} in {d.Time.TotalSeconds:F2} s"))) + string.Create(CultureInfo.InvariantCulture,
            $"; growing as the square, {entries.Count:N0} would take about {dotnet[^1].Time.TotalSeconds * Math.Pow((double)entries.Count / dotnet[^1].Entries, 2) / 60:F0} min"));
        Report.Note(string.Create(CultureInfo.InvariantCulture,
            $"rebuild through the server's CA right after the insert (its copy catches up with {entries.Count:N0} numbered changes): {catchUp.Elapsed.TotalSeconds:F3} s"));
        Report.Note($"rebuild through a new replica's CA (full read + encode + sign + store, one transaction): {Seconds(cold)}");
        Report.Note($"rebuild through the server's CA (changes since its last CRL + sign + store):         {Seconds(warm)}");
        Report.Note(string.Create(CultureInfo.InvariantCulture, $"store the DER alone (UPDATE of the same bytes, durable commit): {store.TotalSeconds:F3} s"));
        Report.Note($"HTTP fetch of the CRL from the CA listener after each rebuild:   {Seconds(served)}");
        Report.Figure(string.Create(CultureInfo.InvariantCulture,
            $"T4 rebuild of a {entries.Count:N0}-entry CRL from PostgreSQL, full read (a replica's first): best {cold.Min().TotalSeconds:F2} s, median {Median(cold).TotalSeconds:F2} s; "
            + $"in-memory build+sign baseline best {baseline.Min().TotalSeconds:F2} s; ratio {cold.Min() / baseline.Min():F2}; "
            + $"later rebuilds (changes only) median {Median(warm).TotalSeconds:F2} s  [target ≤ {RebuildTarget.TotalSeconds} s] {Met(Median(cold) <= RebuildTarget)}"));

        var visible = new List<TimeSpan>();
        var returned = new List<TimeSpan>();
        for (var i = 0; i < StatusChanges; i++)
        {
            using var certificate = await IssueAsync(ca);
            await probe.FetchAsync(CancellationToken.None); // the probe holds the current CRL, so polls are 304s until it changes
            var clock = Stopwatch.StartNew();
            var revoke = ca.RevokeAsync(CaCertificateId.Of(certificate), RevocationReason.KeyCompromise, CancellationToken.None);
            var answered = revoke.ContinueWith(_ => clock.Elapsed, TaskScheduler.Default);
            visible.Add(await probe.WaitForSerialAsync(certificate.SerialNumberBytes, clock, TimeSpan.FromSeconds(60)));
            if (await revoke != CaRevocationResult.Done)
                throw new InvalidOperationException($"revoking {certificate.SerialNumber} did not change it");
            returned.Add(await answered);
        }
        Report.Note($"RevokeAsync returned (status stored, CRL republished) after: {Seconds(returned)}");
        Report.Figure(string.Create(CultureInfo.InvariantCulture,
            $"T4 status change → served CRL over HTTP, {entries.Count + StatusChanges:N0} entries: {string.Join(", ", visible.Select(v => v.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture)))} s  "
            + $"[target ≤ {VisibleTarget.TotalSeconds} s] {Met(visible.Max() <= VisibleTarget)}"));
    }

    /// <summary>The builder the CA used before, on growing prefixes of the same entries (a million is out of reach).</summary>
    private static List<(int Entries, TimeSpan Time)> DotnetBuilderTimes(CaMaterial issuer, List<RevokedCertificate> entries)
    {
        var times = new List<(int, TimeSpan)>();
        foreach (var count in new[] { 25_000, 50_000, 100_000 }.Where(c => c <= entries.Count))
        {
            var clock = Stopwatch.StartNew();
            var builder = new CertificateRevocationListBuilder();
            foreach (var entry in entries.Take(count))
                builder.AddEntry(entry.Serial, entry.RevokedAt, CrlReasonCodes.CrlEntryReasonOf(entry.Reason));
            var now = DateTimeOffset.UtcNow;
            builder.Build(issuer.Issuing.SubjectName, issuer.IssuingSigner, System.Numerics.BigInteger.One, now.AddDays(1), HashAlgorithmName.SHA256,
                X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(issuer.IssuingKeyId), now);
            times.Add((count, clock.Elapsed));
        }
        return times;
    }

    /// <summary>The CA as another replica on the same database starts it: its own store (no listed certificates read yet) and keys.</summary>
    private static async Task<EmbeddedCertificateAuthority> NewReplicaAsync(BenchEnvironment env)
    {
        var options = env.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<RaServer.Hosting.EmbeddedCaOptions>>().Value;
        var replica = new EmbeddedCertificateAuthority(
            new RaServer.Storage.PostgresEmbeddedCaStore(env.Services.GetRequiredService<NpgsqlDataSource>()),
            env.Services.GetRequiredService<ICaKeySource>(), options.ToSettings(), TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<EmbeddedCertificateAuthority>.Instance);
        await replica.GetMaterialAsync(CancellationToken.None);
        return replica;
    }

    private static async Task<X509Certificate2> IssueAsync(EmbeddedCertificateAuthority ca)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CertificateRequest("CN=bench crl", key, HashAlgorithmName.SHA256).CreateSigningRequest();
        var issued = await ca.IssueAsync(new CaIssueRequest
        {
            RequestKey = Guid.NewGuid().ToString("D"), CsrDer = csr, Profile = CertificateProfile.Organization(Workload.FirmName, Workload.FirmUbn), ValidityYears = 3,
        }, CancellationToken.None);
        return X509CertificateLoader.LoadCertificate(issued.CertificateDer);
    }

    /// <summary>The store phase alone: the CRL row's DER rewritten with the same bytes, as the publication writes it.</summary>
    private static async Task<TimeSpan> TimeStoreAsync(BenchEnvironment env, byte[] der)
    {
        await using var connection = new NpgsqlConnection(env.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("UPDATE embedded_ca_crl SET der = @der WHERE id = 1", connection);
        command.Parameters.AddWithValue("der", der);
        var clock = Stopwatch.StartNew();
        await command.ExecuteNonQueryAsync();
        return clock.Elapsed;
    }

    private static async Task<T> Timed<T>(List<TimeSpan> times, Func<Task<T>> work)
    {
        var clock = Stopwatch.StartNew();
        var result = await work();
        times.Add(clock.Elapsed);
        return result;
    }

    private static TimeSpan Median(List<TimeSpan> times) => times.Order().ElementAt(times.Count / 2);

    private static string Seconds(List<TimeSpan> times) =>
        string.Join(", ", times.Select(t => t.TotalSeconds.ToString("F3", CultureInfo.InvariantCulture))) + " s";

    private static string Met(bool met) => met ? "met" : "NOT met";
}
