using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using RaServer.Domain;
using RaServer.Policy;
using RaServer.Storage;

namespace RaServer.Hosting;

/// <summary>
/// `RaServer audit verify` (the database's chain and checkpoints), `RaServer audit verify --file EXPORT` (an export,
/// offline) and `RaServer audit export --from T --to T --out FILE`. The database and the trusted signer come from the
/// same configuration as `migrate` (Database:ConnectionString; Audit:SigningCertificatePath and
/// Audit:FormerSigningCertificatePaths, or `--signer PEM`). Exit 0: intact (or exported); 1: the evidence does not
/// hold, and the first row that was changed, removed or inserted is named; 2: the command could not run.
/// </summary>
public static class AuditCommand
{
    public const int Intact = 0;
    public const int Tampered = 1;
    public const int Unusable = 2;

    public static Task<int> RunAsync(string[] args) => RunAsync(args, Console.Out, Console.Error);

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var action = args.Length > 0 ? args[0] : "";
        var rest = args.Length > 0 ? args[1..] : args;
        try
        {
            return action switch
            {
                "verify" when Has(rest, "--file") => await VerifyExportAsync(rest, output, error),
                "verify" => await VerifyDatabaseAsync(rest, output, error),
                "export" => await ExportAsync(rest, output, error),
                _ => await UsageAsync(error, $"unknown audit action '{action}'"),
            };
        }
        catch (Exception e) when (StorageErrors.IsUnavailable(e) || e is IOException or UnauthorizedAccessException or CryptographicException or JsonException or FormatException)
        {
            await error.WriteLineAsync($"audit {action}: {e.Message}");
            return Unusable;
        }
    }

    private static async Task<int> VerifyDatabaseAsync(string[] args, TextWriter output, TextWriter error)
    {
        var configuration = Configuration(args);
        if (await ConnectionStringAsync(configuration, error) is not { } connectionString)
            return Unusable;
        var signers = await TrustedSignersAsync(args, configuration, error);
        if (signers is null)
            return Unusable;
        await using var store = AuditChainStore.Open(connectionString);
        var chain = store.Chain;
        var checkpoints = await chain.CheckpointsAsync(1, long.MaxValue, CancellationToken.None);
        var result = await chain.ReadChainAsync(1, long.MaxValue,
            rows => AuditChainVerifier.Verify(rows, 1, AuditHash.Genesis, checkpoints, signers, requireCoverage: false), CancellationToken.None);
        var unsealed = await chain.UnsealedCountAsync(CancellationToken.None);
        return await ReportAsync(result, output, error,
            $"audit log intact: {result.RowsChecked} row(s) chained, last signed checkpoint at position {result.LastCheckpoint}" +
            $" ({result.LastPosition - result.LastCheckpoint} chained after it, not yet signed); {unsealed} row(s) not sealed yet");
    }

    private static async Task<int> VerifyExportAsync(string[] args, TextWriter output, TextWriter error)
    {
        var configuration = Configuration(args);
        var signers = await TrustedSignersAsync(args, configuration, error);
        if (signers is null)
            return Unusable;
        AuditExportDocument? document;
        await using (var file = File.OpenRead(Option(args, "--file")!))
            document = await JsonSerializer.DeserializeAsync<AuditExportDocument>(file, AuditExportDocument.Json);
        if (document is null || document.Format != AuditExportDocument.CurrentFormat)
            return await UsageAsync(error, $"not an audit export ({AuditExportDocument.CurrentFormat})");
        var result = AuditChainVerifier.Verify(document.Rows, document.FirstPosition, document.PreviousHash, document.Checkpoints,
            signers, requireCoverage: true);
        if (result.Finding is null && result.LastPosition < document.WindowLastPosition)
            result = result with { Finding = new AuditFinding(AuditTamperKind.Removed, result.LastPosition + 1, null,
                $"the export's rows end at position {result.LastPosition}, before its window's last position {document.WindowLastPosition}") };
        return await ReportAsync(result, output, error,
            $"audit export intact: positions {document.FirstPosition}–{result.LastPosition} ({document.From:o} to {document.To:o}), " +
            $"signed at position {result.LastCheckpoint}");
    }

    private static async Task<int> ExportAsync(string[] args, TextWriter output, TextWriter error)
    {
        if (Option(args, "--from") is not { } fromText || Option(args, "--to") is not { } toText || Option(args, "--out") is not { } outPath)
            return await UsageAsync(error, "audit export needs --from <ISO time> --to <ISO time> --out <file>");
        var from = DateTimeOffset.Parse(fromText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        var to = DateTimeOffset.Parse(toText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        var configuration = Configuration(args);
        if (await ConnectionStringAsync(configuration, error) is not { } connectionString)
            return Unusable;
        await using var store = AuditChainStore.Open(connectionString);
        var chain = store.Chain;
        var ct = CancellationToken.None;
        if (await chain.PositionsBetweenAsync(from, to, ct) is not var (first, last))
        {
            await error.WriteLineAsync($"no sealed audit rows between {from:o} and {to:o}");
            return Tampered;
        }
        if (await chain.CheckpointCoveringAsync(last, ct) is not { } covering)
        {
            await error.WriteLineAsync($"no signed checkpoint covers position {last} yet; export again after the next one (Audit:CheckpointInterval)");
            return Tampered;
        }
        var previous = await chain.HashAtAsync(first - 1, ct);
        if (previous is null)
        {
            await error.WriteLineAsync($"the row at position {first - 1}, before the window, is missing: run `audit verify`");
            return Tampered;
        }
        var rows = await chain.ReadChainAsync(first, covering, entries => entries.ToList(), ct);
        var checkpoints = await chain.CheckpointsAsync(first, covering, ct);
        using var signer = X509CertificateLoader.LoadCertificate(checkpoints[^1].SignerCertificate);
        var document = new AuditExportDocument(AuditExportDocument.CurrentFormat, from, to, first, last, previous, rows, checkpoints,
            signer.ExportCertificatePem());
        await using (var file = File.Create(outPath))
            await JsonSerializer.SerializeAsync(file, document, AuditExportDocument.Json);
        await output.WriteLineAsync($"exported positions {first}–{last} ({rows.Count} row(s) up to the checkpoint at {covering}) to {outPath}");
        return Intact;
    }

    private static async Task<int> ReportAsync(AuditVerification result, TextWriter output, TextWriter error, string intact)
    {
        if (result.Finding is not { } f)
        {
            await output.WriteLineAsync(intact);
            return Intact;
        }
        var what = f.Kind switch
        {
            AuditTamperKind.Changed => "row CHANGED",
            AuditTamperKind.Removed => "row REMOVED",
            AuditTamperKind.Inserted => "row INSERTED",
            AuditTamperKind.CheckpointInvalid => "checkpoint INVALID",
            AuditTamperKind.Uncovered => "rows UNSIGNED",
        };
        var id = f.Id is { } rowId ? $" (id {rowId})" : "";
        await error.WriteLineAsync($"audit log TAMPERED: first problem: {what} at position {f.Position}{id}: {f.Explanation}");
        await output.WriteLineAsync($"{f.Kind} position={f.Position} id={f.Id?.ToString(CultureInfo.InvariantCulture) ?? "-"}");
        return Tampered;
    }

    /// <summary>The signers whose checkpoints count: `--signer` files, or the configured audit signer and its predecessors.</summary>
    private static async Task<List<X509Certificate2>?> TrustedSignersAsync(string[] args, IConfiguration configuration, TextWriter error)
    {
        var options = configuration.GetSection(AuditOptions.Section).Get<AuditOptions>() ?? new AuditOptions();
        var paths = Option(args, "--signer") is { } explicitPath
            ? [explicitPath]
            : new[] { options.SigningCertificatePath }.Concat(options.FormerSigningCertificatePaths).Where(p => p.Length > 0).ToList();
        if (paths.Count == 0)
        {
            await error.WriteLineAsync("no trusted audit signer: set Audit:SigningCertificatePath or pass --signer <PEM certificate>");
            return null;
        }
        return paths.Select(X509CertificateLoader.LoadCertificateFromFile).ToList();
    }

    private static async Task<string?> ConnectionStringAsync(IConfiguration configuration, TextWriter error) =>
        (await CommandDatabase.ReadAsync(configuration, "audit verify", error))?.ConnectionString;

    private static IConfiguration Configuration(string[] args) => CommandDatabase.ConfigurationOf(args);

    private static async Task<int> UsageAsync(TextWriter error, string problem)
    {
        await error.WriteLineAsync($"{problem}; use: audit verify [--file EXPORT] [--signer PEM] | audit export --from ISO --to ISO --out FILE");
        return Unusable;
    }

    private static bool Has(string[] args, string name) => Array.IndexOf(args, name) >= 0;

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
