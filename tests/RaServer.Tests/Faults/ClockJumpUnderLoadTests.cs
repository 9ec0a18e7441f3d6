using EmbeddedCa;
using Microsoft.Extensions.DependencyInjection;
using RaServer.Tests.Fixtures;
using RaServer.Workers;
using Xunit.Abstractions;

namespace RaServer.Tests.Faults;

/// <summary>
/// Issue 12 §1, a clock jump of the server with two replicas under load (they share the machine, so both jump, and so
/// do the clients' signing times): leases, due times and backoffs written before the jump must neither strand work
/// (a jump back would leave rows due in the "future") nor duplicate it (a jump forward makes every lease look lapsed).
/// The step falls between client requests: one signed or stamped before a step larger than the server's 5-minute
/// windows and checked after it is refused with its declared reason (seen: a payment "in the future", PAYMENT_INVALID),
/// which is the stamp's doing and no fault of the workers this test is about.
/// </summary>
public sealed class ClockJumpUnderLoadTests(PostgresFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresFixture>
{
    [Theory]
    [InlineData(120)]
    [InlineData(-10)]
    public async Task Two_replicas_under_load_lose_nothing_strand_nothing_and_issue_once_across_a_clock_jump(int minutes)
    {
        await using var bed = await FaultBed.StartAsync(postgres, CaSetup.Embedded);
        var jump = TimeSpan.FromMinutes(minutes);
        var fault = new Fault(minutes > 0 ? $"clock-forward-{minutes}min" : $"clock-back-{-minutes}min", () =>
        {
            bed.Clock.Jump(jump);
            return Task.CompletedTask;
        }, () => Task.CompletedTask) { BetweenRequests = true };

        await FaultRun.RunAsync(bed, fault, nameof(ClockJumpUnderLoadTests), output, during: TimeSpan.FromSeconds(2));

        foreach (var replica in bed.Replicas)
        {
            // The slips are due in 14 days: two hours on (or ten minutes back) voids none of them.
            Assert.Equal(0, await replica.Services.GetRequiredService<PaymentSweeper>().RunOnceAsync(CancellationToken.None));
            // The CRL schedule's check, run now, leaves a CRL in force at the stepped clock's time.
            var ca = replica.Services.GetRequiredService<EmbeddedCertificateAuthority>();
            await ca.RefreshCrlIfDueAsync(CancellationToken.None);
            var crl = await ca.LatestCrlAsync(CancellationToken.None);
            Assert.NotNull(crl);
            Assert.True(crl.NextUpdate > bed.Clock.GetUtcNow(), $"the CRL expired at {crl.NextUpdate:u}, before the clock's now");
        }
    }
}
