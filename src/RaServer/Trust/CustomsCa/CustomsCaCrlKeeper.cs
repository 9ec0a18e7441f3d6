using Microsoft.Extensions.Options;
using RaServer.Domain;
using RaServer.Storage;

namespace RaServer.Trust;

/// <summary>
/// Keeps <see cref="CustomsCaCrl"/> current: before the server takes calls it loads the CRL saved in the crls table
/// (so a new replica has verdicts at once), then, once the server is up, downloads the customs CA's CRL over HTTP
/// every Ca:CrlRefreshInterval, and at once when <see cref="RefreshSoon"/> says the CA has just changed a status,
/// and saves the newest back to the table. A failed or refused download is logged and
/// changes nothing; the CRL held answers until its nextUpdate, after which statuses are Unknown.
/// </summary>
public sealed partial class CustomsCaCrlKeeper(
    CustomsCaCrl crl,
    CustomsCaCrlSource source,
    CrlFetcher fetcher,
    IOptions<CaOptions> options,
    CrlTable crlTable,
    IHostApplicationLifetime lifetime,
    TimeProvider clock,
    ILogger<CustomsCaCrlKeeper> logger) : BackgroundService
{
    private readonly SemaphoreSlim _round = new(1, 1);
    // At most one wake-up pending: a round that starts after the signal reads the CRL published before it.
    private readonly SemaphoreSlim _soon = new(0, 1);
    private string? _etag;

    /// <summary>
    /// Asks for a round now rather than at the next tick, without waiting for it: the CA has answered a hold, release
    /// or revocation and publishes its new CRL with the answer (the embedded CA does), so the CRL held, and the one
    /// saved for other replicas, catch up within a second instead of an interval.
    /// </summary>
    public void RefreshSoon()
    {
        if (_soon.CurrentCount > 0)
            return;
        try
        {
            _soon.Release();
        }
        catch (SemaphoreFullException)
        {
            // Another caller got there first: the round it asked for serves this one too.
        }
    }

    public override async Task StartAsync(CancellationToken ct)
    {
        try
        {
            await LoadSavedAsync(ct);
        }
        catch (Exception e) when (StorageErrors.IsUnavailable(e) || e is RaException)
        {
            // Not fatal: the first download fills the gap, and until then statuses are Unknown, never Good.
            LogLoadFailed(logger, e);
        }
        await base.StartAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The embedded CA's endpoint is served by this very process: it answers only once the server has started.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            await started.Task.WaitAsync(stoppingToken);

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogRefreshFailed(logger, e);
            }
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            await Task.WhenAny(Task.Delay(options.Value.CrlRefreshInterval, clock, wait.Token), _soon.WaitAsync(wait.Token));
            await wait.CancelAsync();
        }
    }

    /// <summary>One round: download, verify and take the CRL if newer, then save the newest held to the table.</summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        await _round.WaitAsync(ct);
        try
        {
            var issuer = await source.IssuerAsync(ct);
            var url = source.CrlUrl();
            try
            {
                var download = await fetcher.FetchAsync(url, _etag, options.Value.CrlFetchTimeout, options.Value.CrlMaxBytes, ct);
                if (download.Der is not null)
                {
                    crl.Update(download.Der, issuer);
                    // Remembered only for a CRL taken, so a refused one is downloaded and judged again.
                    _etag = download.ETag;
                }
            }
            catch (CrlFetchException e)
            {
                LogFetchFailed(logger, url, e.Message);
            }
            catch (RaException e)
            {
                LogCrlRefused(logger, url, e.Reason, e.Message);
            }

            if (crl.Current is { } status && crl.CurrentDer is { } der)
                await crlTable.SaveAsync(status, der.ToArray(), clock.GetUtcNow(), ct);
        }
        finally
        {
            _round.Release();
        }
    }

    private async Task LoadSavedAsync(CancellationToken ct)
    {
        var issuer = await source.IssuerAsync(ct);
        foreach (var der in await crlTable.LoadAsync([KeyIdentifiers.Of(issuer)], ct))
        {
            var status = crl.Update(der, issuer);
            LogLoadedSaved(logger, status.CrlNumber.ToString(System.Globalization.CultureInfo.InvariantCulture), status.NextUpdate);
        }
    }

    [LoggerMessage(EventId = 3111, Level = LogLevel.Warning, Message = "Loading the saved customs CA CRL failed; statuses are Unknown until the first download")]
    private static partial void LogLoadFailed(ILogger logger, Exception e);

    [LoggerMessage(EventId = 3112, Level = LogLevel.Information, Message = "Loaded the saved customs CA CRL number {CrlNumber}, valid until {NextUpdate:u}")]
    private static partial void LogLoadedSaved(ILogger logger, string crlNumber, DateTimeOffset nextUpdate);

    [LoggerMessage(EventId = 3113, Level = LogLevel.Warning, Message = "Downloading the customs CA CRL at {Url} failed; the CRL held stays in force: {Detail}")]
    private static partial void LogFetchFailed(ILogger logger, Uri url, string detail);

    [LoggerMessage(EventId = 3114, Level = LogLevel.Warning, Message = "The customs CA CRL from {Url} was refused: {Reason} ({Detail})")]
    private static partial void LogCrlRefused(ILogger logger, Uri url, string reason, string detail);

    [LoggerMessage(EventId = 3115, Level = LogLevel.Error, Message = "A round of the customs CA CRL keeper failed; the CRL held stays in force")]
    private static partial void LogRefreshFailed(ILogger logger, Exception e);
}
