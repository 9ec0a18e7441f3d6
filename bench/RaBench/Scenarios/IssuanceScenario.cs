using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CaConnector;
using EmbeddedCa;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;
using RaServer.Domain;
using RaServer.Hosting;
using RaServer.Workers;

namespace RaBench.Scenarios;

/// <summary>
/// T1 in part. Baseline: the in-process pipeline of docs/PERFORMANCE.md — the CSR's signature check, P-256 signature and
/// one durable INSERT, which is exactly EmbeddedCertificateAuthority.IssueAsync with a fresh request key — from 8 workers.
/// Measured: the RA's outbox path — applications put in FORWARDED with their ca_requests rows beforehand (by SQL,
/// outside the clock), then CaRequestDispatcher.RunOnceAsync from 8 concurrent callers until the outbox is empty:
/// claim (FOR UPDATE SKIP LOCKED), issue, store the certificate, complete the application, queue the e-mail, commit.
/// </summary>
public static class IssuanceScenario
{
    private const int Workers = 8;
    private const int DistinctCsrs = 1_000;
    private const int MaxBaseline = 40_000;
    private const int MaxOutbox = 20_000;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan OutboxTimeLimit = TimeSpan.FromSeconds(20);

    public static async Task RunAsync(BenchEnvironment env)
    {
        Report.Heading("issuance", "T1 (partial): in-process pipeline vs the RA's CA outbox, embedded CA with a P-256 key");
        await Workload.LoadCompanyAsync(env);
        var csrs = Enumerable.Range(0, DistinctCsrs).Select(_ => NewCsr()).ToArray();
        var ca = env.Services.GetRequiredService<EmbeddedCertificateAuthority>();
        await ca.GetMaterialAsync(CancellationToken.None);
        var profile = CertificateProfile.Organization(Workload.FirmName, Workload.FirmUbn);

        async Task Issue(long n) =>
            await ca.IssueAsync(new CaIssueRequest { RequestKey = Guid.NewGuid().ToString("D"), CsrDer = csrs[n % DistinctCsrs], Profile = profile, ValidityYears = 3 },
                CancellationToken.None);
        await LoadRunner.RunAsync("warm-up", Workers, TimeSpan.FromSeconds(1), long.MaxValue, Issue);
        var baseline = await LoadRunner.RunAsync(
            "CsrPolicy+sign+INSERT in process (baseline)", Workers, Duration, MaxBaseline, Issue);
        Report.Line(baseline);

        // Enough requests for about the baseline's duration, so the drain is timed over a comparable span.
        var count = (int)Math.Clamp(baseline.PerSecond * Duration.TotalSeconds, 1_000, MaxOutbox);
        await PrepareForwardedApplicationsAsync(env, csrs, count);
        var outbox = await DrainOutboxAsync(env, count);
        Report.Line(outbox);
        Report.Ratio("outbox drain / in-process pipeline", outbox, baseline);
        Report.Note("T1 proper (signed SubmitCsr through gRPC, ISSUED seen by the client) is not measured by this scenario.");
    }

    private static byte[] NewCsr()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new CertificateRequest("CN=bench applicant", key, HashAlgorithmName.SHA256).CreateSigningRequest();
    }

    /// <summary>
    /// Walks <paramref name="count"/> new applications through the states the transition trigger allows up to FORWARDED
    /// and writes their ISSUE requests with the RA's certificate decision, as SubmitCsr would have left them. Each
    /// request gets its own next_attempt_at, a millisecond apart in the past, as requests submitted over time have:
    /// identical timestamps would make every claim sort the whole outbox (the claim orders by next_attempt_at, id and
    /// its index covers only the first).
    /// </summary>
    private static async Task PrepareForwardedApplicationsAsync(BenchEnvironment env, byte[][] csrs, int count)
    {
        var clock = Stopwatch.StartNew();
        var ids = Enumerable.Range(0, count).Select(_ => Guid.NewGuid()).ToArray();
        var csrColumn = ids.Select((_, i) => csrs[i % csrs.Length]).ToArray();
        await using var connection = new NpgsqlConnection(env.ConnectionString);
        await connection.OpenAsync();
        await using var tx = await connection.BeginTransactionAsync();
        string[] steps =
        [
            """
            INSERT INTO applications (id, request_id, channel, service_type, kind, state, applicant_ubn, applicant_name,
                subject_name, subject_ubn, notice_email, created_at, updated_at)
            SELECT id, id::text, 'ONLINE', 'NEW', 'ORGANIZATION', 'RECEIVED', @ubn, @name, @name, @ubn, 'bench@example.test', now(), now()
            FROM unnest(@ids) AS id
            """,
            "UPDATE applications SET state = 'AWAITING_PAYMENT' WHERE id = ANY(@ids)",
            "UPDATE applications SET state = 'AWAITING_KEY' WHERE id = ANY(@ids)",
            "UPDATE applications SET state = 'FORWARDED' WHERE id = ANY(@ids)",
            """
            INSERT INTO ca_requests (application_id, operation, csr_der, profile_kind, profile_organization, profile_ubn, validity_years,
                created_at, next_attempt_at)
            SELECT id, 'ISSUE', csr, 'ORGANIZATION', @name, @ubn, 3, now(), now() - (@count - n) * interval '1 millisecond'
            FROM unnest(@ids, @csrs) WITH ORDINALITY AS r(id, csr, n)
            """,
        ];
        foreach (var sql in steps)
        {
            await using var command = new NpgsqlCommand(sql, connection, tx);
            command.Parameters.AddWithValue("ids", ids);
            command.Parameters.AddWithValue("ubn", Workload.FirmUbn);
            command.Parameters.AddWithValue("name", Workload.FirmName);
            command.Parameters.AddWithValue("count", count);
            command.Parameters.Add(new NpgsqlParameter("csrs", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = csrColumn });
            await command.ExecuteNonQueryAsync();
        }
        await tx.CommitAsync();
        Report.Note(string.Create(CultureInfo.InvariantCulture,
            $"prepared {count:N0} FORWARDED applications with ISSUE requests in {clock.Elapsed.TotalSeconds:F1} s (not timed)"));
    }

    private static async Task<LoadResult> DrainOutboxAsync(BenchEnvironment env, int count)
    {
        var dispatcher = env.Services.GetRequiredService<CaRequestDispatcher>();
        using var limit = new CancellationTokenSource(OutboxTimeLimit);
        var clock = Stopwatch.StartNew();
        string? stopped = null;
        try
        {
            await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(() => dispatcher.RunOnceAsync(limit.Token))));
        }
        catch (OperationCanceledException)
        {
            stopped = $"stopped at the {OutboxTimeLimit.TotalSeconds:F0} s limit";
        }
        clock.Stop();

        await using var connection = new NpgsqlConnection(env.ConnectionString);
        await connection.OpenAsync();
        await using var tally = new NpgsqlCommand(
            """
            SELECT count(*) FILTER (WHERE state = 'COMPLETED' AND issued_serial_hex IS NOT NULL),
                   count(*) FILTER (WHERE state = 'FAILED'),
                   min(failure_detail)
            FROM applications WHERE notice_email = 'bench@example.test'
            """, connection);
        await using var reader = await tally.ExecuteReaderAsync();
        await reader.ReadAsync();
        var issued = reader.GetInt64(0);
        var failed = reader.GetInt64(1);
        var firstError = reader.IsDBNull(2) ? null : reader.GetString(2);
        if (stopped is not null)
            Report.Note($"outbox drain {stopped}: {count - issued - failed:N0} requests left; the rate counts what was issued in time");
        return new LoadResult($"CA outbox drain, {count:N0} requests", Workers, issued, failed, clock.Elapsed, [], firstError);
    }
}
