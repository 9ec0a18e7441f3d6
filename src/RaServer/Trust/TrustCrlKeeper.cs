using Microsoft.Extensions.Options;
using RaServer.Domain;
using RaServer.Storage;

namespace RaServer.Trust;

/// <summary>
/// Keeps the CRLs of the identity trust anchors: the newest of what the configured files, the configured URLs and
/// the crls table hold goes into the in-memory <see cref="CrlStore"/>, and the newest the store holds goes back to
/// the table, so every replica checks signers against the newest CRL any replica has seen, also after a restart.
/// Runs once before the server takes calls, then every Trust:CrlRefreshInterval.
/// </summary>
public sealed partial class TrustCrlKeeper(
    CrlStore store,
    TrustAnchors trust,
    CrlFetcher fetcher,
    IOptions<TrustOptions> options,
    CrlTable crlTable,
    TimeProvider clock,
    ILogger<TrustCrlKeeper> logger) : BackgroundService
{
    // Entity tags of the last CRL taken from each URL, so an unchanged CRL is not downloaded and parsed again.
    // Touched only inside a round, and rounds never overlap.
    private readonly Dictionary<string, string?> _etags = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _round = new(1, 1);

    public override async Task StartAsync(CancellationToken ct)
    {
        await RefreshAsync(ct);
        await base.StartAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CrlRefreshInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception e) when (StorageErrors.IsUnavailable(e) || e is IOException)
            {
                // The CRLs held stay in force until their nextUpdate; after that signed requests are refused.
                LogRefreshFailed(logger, e);
            }
        }
    }

    /// <summary>One round: files, URLs and table into the store, then the store into the table.</summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        await _round.WaitAsync(ct);
        try
        {
            foreach (var file in options.Value.CrlFiles)
                Offer(await File.ReadAllBytesAsync(file, ct), file, quietWhenOlder: true);

            // In parallel, so one hung URL costs the round one timeout, not one per URL; offered in configured order.
            var urls = options.Value.CrlUrls;
            var downloads = await Task.WhenAll(urls.Select(url => DownloadAsync(url, ct)));
            foreach (var (url, download) in urls.Zip(downloads))
            {
                // An ETag is remembered only for a CRL the store took, so a refused one is downloaded and judged again.
                if (download?.Der is { } der && Offer(der, url, quietWhenOlder: false))
                    _etags[url] = download.ETag;
            }

            var issuerKeyIds = trust.All.Select(KeyIdentifiers.Of).ToList();
            foreach (var der in await crlTable.LoadAsync(issuerKeyIds, ct))
                Offer(der, "the crls table", quietWhenOlder: true);

            foreach (var status in store.Statuses)
                await crlTable.SaveAsync(status, store.CurrentCrl(status.IssuerKeyId)!.Value.ToArray(), clock.GetUtcNow(), ct);
        }
        finally
        {
            _round.Release();
        }
    }

    /// <returns>The download (its DER null when unchanged since the last one taken), or null when the URL failed (logged).</returns>
    private async Task<CrlDownload?> DownloadAsync(string url, CancellationToken ct)
    {
        try
        {
            return await fetcher.FetchAsync(new Uri(url), _etags.GetValueOrDefault(url), options.Value.CrlFetchTimeout, options.Value.CrlMaxBytes, ct);
        }
        catch (CrlFetchException e)
        {
            LogFetchFailed(logger, url, e.Message);
            return null;
        }
    }

    /// <returns>True when the store now holds this CRL (also when it already did).</returns>
    private bool Offer(byte[] der, string source, bool quietWhenOlder)
    {
        try
        {
            store.Update(der);
            return true;
        }
        catch (RaException e) when (e.Reason == "CRL_NUMBER_NOT_RISING" && quietWhenOlder)
        {
            // An older CRL than the one held from a file or the table: normal when another source is ahead.
            return false;
        }
        catch (RaException e)
        {
            // From a URL even an older CRL is worth a warning: a stale mirror, or someone replaying an old list.
            LogCrlRefused(logger, source, e.Reason, e.Message);
            return false;
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Refreshing the trust anchors' CRLs failed; the ones held stay in force")]
    private static partial void LogRefreshFailed(ILogger logger, Exception e);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "A CRL from {Source} was refused: {Reason} ({Detail})")]
    private static partial void LogCrlRefused(ILogger logger, string source, string reason, string detail);

    [LoggerMessage(EventId = 3100, Level = LogLevel.Warning, Message = "Downloading the CRL at {Url} failed; the CRL held stays in force: {Detail}")]
    private static partial void LogFetchFailed(ILogger logger, string url, string detail);
}
