using EmbeddedCa;

namespace RaServer.Workers;

/// <summary>
/// Loads (or on the very first start makes) the CA, then keeps the CRL fresh: reissued when older than
/// EmbeddedCa:CrlRefreshInterval even when nothing changed. Status changes publish on their own, at once.
/// </summary>
internal sealed partial class EmbeddedCaCrlSchedule(
    EmbeddedCertificateAuthority ca, TimeSpan checkInterval, TimeProvider time, ILogger<EmbeddedCaCrlSchedule> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ca.RefreshCrlIfDueAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The database may not be migrated yet, or be away for a moment: try again on the next tick.
                RefreshFailed(logger, e);
            }
            try
            {
                await Task.Delay(checkInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 7150, Level = LogLevel.Error, Message = "Embedded CA: loading the CA or refreshing its CRL failed")]
    private static partial void RefreshFailed(ILogger logger, Exception exception);
}
