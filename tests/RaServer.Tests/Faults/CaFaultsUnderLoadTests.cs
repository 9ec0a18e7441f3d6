using Dapper;
using Npgsql;
using RaServer.Tests.Fixtures;
using Xunit.Abstractions;

namespace RaServer.Tests.Faults;

/// <summary>
/// Issue 12 §1, the CA's faults with two replicas under load: whatever the CA does, every acknowledged request is
/// stored and completed once it is back, no application gets two certificates, the CA holds no certificate the RA
/// does not know, nothing is left in the outboxes, the watchers on both replicas see every event once and in order,
/// and clients see only OK (the CA is behind the outbox, so its faults never reach them).
/// </summary>
public sealed class EmbeddedCaFaultsUnderLoadTests(PostgresFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresFixture>
{
    [Theory]
    [InlineData(CaFaultKind.Unreachable)]
    [InlineData(CaFaultKind.Slow)]
    [InlineData(CaFaultKind.ServiceUnavailable)]
    [InlineData(CaFaultKind.AnswerLost)]
    public async Task Two_replicas_under_load_lose_nothing_and_issue_once_through_an_embedded_ca_fault(CaFaultKind kind)
    {
        await using var bed = await FaultBed.StartAsync(postgres, CaSetup.Embedded);
        var figures = await FaultRun.RunAsync(bed, CaFaultKinds.For(bed, kind), nameof(EmbeddedCaFaultsUnderLoadTests), output);
        CaFaultBit(figures);
        switch (kind)
        {
            case CaFaultKind.Slow:
                // No attempt failed: the workers' lease renewals kept the requests theirs while the CA was blocked.
                Assert.Equal(0, figures.CaRequestsRetried);
                break;
            case CaFaultKind.AnswerLost:
                // The failed commits rolled back their attempts, so the proof is in the times: the RA stored, later, certificates
                // the CA had signed before, and (above) stored each once, with none left that only the CA knows.
                Assert.True(await RecordedLateAsync(bed) > 0, "no certificate was stored after a failed record of it");
                break;
            default:
                Assert.True(figures.CaRequestsRetried > 0, "no CA request needed a second attempt");
                break;
        }
    }

    /// <summary>Certificates the RA stored more than a lease after the CA signed them.</summary>
    private static async Task<long> RecordedLateAsync(FaultBed bed)
    {
        await using var connection = new NpgsqlConnection(bed.ConnectionString);
        return await connection.ExecuteScalarAsync<long>(
            """
            SELECT count(*) FROM certificates c JOIN embedded_ca_certificates e
                ON ltrim(upper(c.serial_hex), '0') = ltrim(upper(encode(e.serial, 'hex')), '0')
            WHERE c.created_at - e.issued_at > @lease
            """, new { lease = FaultBed.LeaseDuration * 0.9 });
    }

    /// <summary>Some request waited through most of the fault: it was there to be hit.</summary>
    internal static void CaFaultBit(FaultFigures figures) =>
        Assert.True(figures.LongestCaWaitSeconds > FaultRun.During.TotalSeconds / 2,
            $"no CA request waited long (the longest {figures.LongestCaWaitSeconds} s): the fault did not bite");
}

/// <inheritdoc cref="EmbeddedCaFaultsUnderLoadTests"/>
public sealed class CmpCaFaultsUnderLoadTests(PostgresFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresFixture>
{
    [Theory]
    [InlineData(CaFaultKind.Unreachable)]
    [InlineData(CaFaultKind.Slow)]
    [InlineData(CaFaultKind.ServiceUnavailable)]
    [InlineData(CaFaultKind.InternalServerError)]
    [InlineData(CaFaultKind.AnswerLost)]
    public async Task Two_replicas_under_load_lose_nothing_and_issue_once_through_a_cmp_ca_fault(CaFaultKind kind)
    {
        await using var bed = await FaultBed.StartAsync(postgres, CaSetup.Cmp);
        var figures = await FaultRun.RunAsync(bed, CaFaultKinds.For(bed, kind), nameof(CmpCaFaultsUnderLoadTests), output);
        EmbeddedCaFaultsUnderLoadTests.CaFaultBit(figures);
        Assert.True(figures.CaRequestsRetried > 0, "no CA request needed a second attempt");
        if (kind is CaFaultKind.Slow or CaFaultKind.AnswerLost)
            // The CA acted on requests whose answers the RA never got: it was asked again and answered from its record
            // (p10cr and certConf are two requests per certificate when nothing goes wrong).
            Assert.True(bed.Relay.Forwarded > 2 * figures.CaCertificates,
                $"the CA answered {bed.Relay.Forwarded} requests for {figures.CaCertificates} certificates: none was repeated");
    }
}
