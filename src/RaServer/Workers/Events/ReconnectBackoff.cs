using RaServer.Api;
using RaServer.Domain;
using RaServer.Hosting;
using RaServer.Storage;
using RaServer.Workflow;
namespace RaServer.Workers;

/// <summary>
/// Pauses between attempts to re-open a dedicated connection: none before the first retry (a terminated backend is
/// usually replaceable at once), then 250 ms doubling up to the configured maximum; a success resets it.
/// </summary>
internal sealed class ReconnectBackoff(TimeSpan max)
{
    private static readonly TimeSpan First = TimeSpan.FromMilliseconds(250);
    private int _failures;

    public TimeSpan Next()
    {
        var failures = _failures++;
        if (failures == 0)
            return TimeSpan.Zero;
        var delay = First * Math.Pow(2, Math.Min(failures - 1, 16));
        return delay < max ? delay : max;
    }

    public void Succeeded() => _failures = 0;

    public static async Task PauseAsync(TimeSpan delay, TimeProvider clock, CancellationToken ct)
    {
        if (delay > TimeSpan.Zero)
            await Task.Delay(delay, clock, ct);
    }
}
