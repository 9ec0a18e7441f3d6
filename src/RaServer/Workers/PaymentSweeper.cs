using Microsoft.Extensions.Options;
using RaServer.Storage;
using RaServer.Workflow;

namespace RaServer.Workers;

/// <summary>
/// Voids overdue payment slips and cancels their applications, on every replica: rows are claimed with
/// FOR UPDATE SKIP LOCKED, so replicas share the work and a slip being confirmed is left to its confirmation.
/// </summary>
public sealed partial class PaymentSweeper(
    UnitOfWorkFactory units, ApplicationWorkflow workflow, IOptions<SweeperOptions> options, TimeProvider clock,
    ILogger<PaymentSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (StorageErrors.IsUnavailable(e))
            {
                // Nothing was half-done (each batch is one transaction); the next tick tries again.
                LogSweepFailed(logger, e);
            }
        }
    }

    /// <summary>Cancels everything overdue now; returns how many applications were cancelled.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            await using var uow = await units.BeginAsync(ct);
            var cancelled = await workflow.CancelOverdueAsync(uow, options.Value.BatchSize, ct);
            await uow.CommitAsync(ct);
            total += cancelled;
            if (cancelled < options.Value.BatchSize)
                return total;
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Sweeping overdue payment slips failed; retrying on the next tick")]
    private static partial void LogSweepFailed(ILogger logger, Exception e);
}
