using RaServer.Storage;

namespace RaServer.Workers;

/// <summary>
/// Keeps a worker's leased CA requests its own while it waits on the CA: a CA attempt may take minutes (CMP polling,
/// retries), far longer than the lease, so the lease is renewed every third of its length. When the worker dies the
/// renewals stop and the rows come due for another worker within one lease. A renewal that fails (PostgreSQL away)
/// (or fails any other way) is only logged: if the lease lapses, another worker may send the same request again, which the CA answers from its
/// record of the request key, and only the holder of the current lease records the outcome.
/// </summary>
internal sealed partial class CaRequestLease : IAsyncDisposable
{
    private readonly UnitOfWorkFactory _units;
    private readonly TimeSpan _length;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewing;

    private CaRequestLease(Guid token, UnitOfWorkFactory units, TimeSpan length, TimeProvider clock, ILogger logger)
    {
        Token = token;
        _units = units;
        _length = length;
        _clock = clock;
        _logger = logger;
        _renewing = RenewAsync(_stop.Token);
    }

    public Guid Token { get; }

    /// <summary>Leases up to a batch of due requests for one lease; null (and no lease kept) when none is due.</summary>
    public static async Task<(CaRequestLease Lease, IReadOnlyList<Domain.CaRequestRow> Requests)?> TakeAsync(
        UnitOfWorkFactory units, CaDispatchOptions options, TimeProvider clock, ILogger logger, CancellationToken ct)
    {
        var token = Guid.NewGuid();
        var now = clock.GetUtcNow();
        var length = options.LeaseDuration;
        IReadOnlyList<Domain.CaRequestRow> requests;
        await using (var uow = await units.OpenForSingleStatementsAsync(ct))
            requests = await uow.CaRequests.LeaseDueAsync(now, options.BatchSize, token, now + length, options.FirstRetryDelay, options.MaxBackoff, ct);
        return requests.Count == 0 ? null : (new CaRequestLease(token, units, length, clock, logger), requests);
    }

    private async Task RenewAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_length / 3, _clock, stop);
                await using var uow = await _units.OpenForSingleStatementsAsync(stop);
                await uow.CaRequests.RenewLeaseAsync(Token, _clock.GetUtcNow() + _length, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogRenewalFailed(_logger, e, Token);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _renewing;
        _stop.Dispose();
    }

    [LoggerMessage(EventId = 5006, Level = LogLevel.Warning, Message = "Could not renew CA request lease {Token}; its requests may be sent again once it lapses")]
    private static partial void LogRenewalFailed(ILogger logger, Exception e, Guid token);
}
