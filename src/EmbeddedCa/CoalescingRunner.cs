namespace EmbeddedCa;

/// <summary>
/// Runs a job so that every caller is answered by a run that started after it asked, while runs never overlap:
/// a burst of status changes costs one or two CRL builds, not one each, and no change is left out.
/// </summary>
internal sealed class CoalescingRunner(Func<CancellationToken, Task> job)
{
    private readonly Lock _gate = new();
    private TaskCompletionSource? _next;
    private bool _running;

    public Task RunAsync()
    {
        lock (_gate)
        {
            _next ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var answer = _next.Task;
            if (!_running)
            {
                _running = true;
                _ = Task.Run(LoopAsync);
            }
            return answer;
        }
    }

    private async Task LoopAsync()
    {
        while (true)
        {
            TaskCompletionSource current;
            lock (_gate)
            {
                if (_next is null)
                {
                    _running = false;
                    return;
                }
                current = _next;
                _next = null;
            }
            try
            {
                await job(CancellationToken.None);
                current.SetResult();
            }
            catch (Exception e)
            {
                current.SetException(e);
            }
        }
    }
}
