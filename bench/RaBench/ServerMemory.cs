using System.Diagnostics;
using System.Globalization;

namespace RaBench;

/// <summary>
/// The server's memory: it is hosted in this process, so this process's working set (everything resident: managed
/// heap, native TLS and HTTP/2 buffers, code) and its GC heap. The bench's own share is small next to the server's
/// (the load runs in a process of its own), and is included, so the figure errs high.
/// </summary>
public readonly record struct ServerMemory(long WorkingSetBytes, long GcHeapBytes)
{
    public const long GiB = 1L << 30;

    public static ServerMemory Now()
    {
        using var self = Process.GetCurrentProcess();
        return new ServerMemory(self.WorkingSet64, GC.GetGCMemoryInfo().HeapSizeBytes);
    }

    public static ServerMemory Max(ServerMemory a, ServerMemory b) =>
        new(Math.Max(a.WorkingSetBytes, b.WorkingSetBytes), Math.Max(a.GcHeapBytes, b.GcHeapBytes));

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"working set {WorkingSetBytes / 1048576.0:N0} MiB, GC heap {GcHeapBytes / 1048576.0:N0} MiB");
}

/// <summary>Samples <see cref="ServerMemory"/> until disposed and keeps the highest of each figure.</summary>
public sealed class ServerMemoryPeak : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;
    private ServerMemory _peak = ServerMemory.Now();

    public ServerMemoryPeak(TimeSpan every) => _sampling = SampleAsync(every);

    public ServerMemory Peak => _peak;

    private async Task SampleAsync(TimeSpan every)
    {
        try
        {
            while (true)
            {
                await Task.Delay(every, _stop.Token);
                _peak = ServerMemory.Max(_peak, ServerMemory.Now());
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        _peak = ServerMemory.Max(_peak, ServerMemory.Now());
    }
}
