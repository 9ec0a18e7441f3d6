using System.Numerics;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using RaServer.Errors;

namespace RaServer.Identity;

/// <summary>
/// Keeps the CRLs of the identity trust anchors: the newest of what the configured files and the crls table
/// hold goes into the in-memory <see cref="CrlStore"/>, and the newest the store holds goes back to the table,
/// so every replica checks signers against the newest CRL any replica has seen, also after a restart.
/// Runs once before the server takes calls, then every Trust:CrlRefreshInterval.
/// </summary>
public sealed partial class TrustCrlKeeper(
    CrlStore store,
    IOptions<TrustOptions> options,
    NpgsqlDataSource dataSource,
    TimeProvider clock,
    ILogger<TrustCrlKeeper> logger) : BackgroundService
{
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
            catch (Exception e) when (e is NpgsqlException or IOException)
            {
                // The CRLs held stay in force until their nextUpdate; after that signed requests are refused.
                LogRefreshFailed(logger, e);
            }
        }
    }

    /// <summary>One round: files and table into the store, then the store into the table.</summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        foreach (var file in options.Value.CrlFiles)
            Offer(await File.ReadAllBytesAsync(file, ct), file);

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var stored = await connection.QueryAsync<byte[]>(new CommandDefinition("SELECT der FROM crls", cancellationToken: ct));
        foreach (var der in stored)
            Offer(der, "the crls table");

        foreach (var status in store.Statuses)
            await SaveAsync(connection, status, store.CurrentCrl(status.IssuerKeyId)!.Value.ToArray(), ct);
    }

    private void Offer(byte[] der, string source)
    {
        try
        {
            store.Update(der);
        }
        catch (RaException e) when (e.Reason == "CRL_NUMBER_NOT_RISING")
        {
            // An older CRL than the one held: normal when another source is ahead.
        }
        catch (RaException e)
        {
            LogCrlRefused(logger, source, e.Reason, e.Message);
        }
    }

    private async Task SaveAsync(NpgsqlConnection connection, CrlStatus status, byte[] der, CancellationToken ct) =>
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO crls (issuer_key_id, issuer_name, crl_number, this_update, next_update, der, fetched_at)
            VALUES (@IssuerKeyId, @IssuerDn, @number::numeric, @ThisUpdate, @NextUpdate, @der, @now)
            ON CONFLICT (issuer_key_id) DO UPDATE SET
                issuer_name = excluded.issuer_name, crl_number = excluded.crl_number, this_update = excluded.this_update,
                next_update = excluded.next_update, der = excluded.der, fetched_at = excluded.fetched_at
            WHERE crls.crl_number < excluded.crl_number -- a replica never pushes the table back to an older CRL
            """,
            new
            {
                status.IssuerKeyId, status.IssuerDn, number = status.CrlNumber.ToString(System.Globalization.CultureInfo.InvariantCulture), status.ThisUpdate, status.NextUpdate,
                der, now = clock.GetUtcNow(),
            },
            cancellationToken: ct));

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Refreshing the trust anchors' CRLs failed; the ones held stay in force")]
    private static partial void LogRefreshFailed(ILogger logger, Exception e);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "A CRL from {Source} was refused: {Reason} ({Detail})")]
    private static partial void LogCrlRefused(ILogger logger, string source, string reason, string detail);
}
