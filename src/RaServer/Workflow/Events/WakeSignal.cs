using System.Threading.Channels;

namespace RaServer.Workflow;

/// <summary>
/// A "something may have changed, look again" flag for one consumer. Setting it never blocks and never waits for the
/// consumer (a channel of capacity 1 that drops extra writes), so a listener can wake thousands of consumers without
/// any of them slowing it down; many wake-ups before the consumer looks collapse into one. It carries no data: the
/// consumer always re-reads the table.
/// </summary>
public sealed class WakeSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public void Set() => _channel.Writer.TryWrite(true);

    /// <summary>
    /// Waits until the flag is set (clearing it), <paramref name="timeout"/> passes on <paramref name="clock"/>, or
    /// <paramref name="ct"/> is cancelled (which throws). Returns true when woken, false on timeout.
    /// </summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider clock, CancellationToken ct)
    {
        if (_channel.Reader.TryRead(out _))
            return true;
        using var timer = new CancellationTokenSource(timeout, clock);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(ct, timer.Token);
        // SuppressThrowing: a timeout is the ordinary outcome of a quiet period, not worth an exception per stream.
        Task woken = _channel.Reader.WaitToReadAsync(either.Token).AsTask();
        await woken.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        ct.ThrowIfCancellationRequested();
        return _channel.Reader.TryRead(out _);
    }
}
