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
        Assert.True(figures.CaRequestsRetried > 0, "no CA request needed a second attempt: the fault did not bite");
    }
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
        Assert.True(figures.CaRequestsRetried > 0, "no CA request needed a second attempt: the fault did not bite");
        if (kind is CaFaultKind.Slow or CaFaultKind.AnswerLost)
            // The CA acted on requests whose answers the RA never got: it was asked again, and answered from its record.
            Assert.True(bed.Relay.Forwarded > 2 * figures.CaCertificates,
                $"the CA answered {bed.Relay.Forwarded} requests for {figures.CaCertificates} certificates: none was repeated");
    }
}
