using System.Text.Json;
using RaServer.Storage;

namespace RaServer.Hosting;

/// <summary>
/// `RaServer check`: prints the reconciliation counts of <see cref="ConsistencyCheck"/> as one JSON object. Exits 0
/// when nothing was issued twice and the CA signed nothing the RA does not know, 1 otherwise, so a cron job or an
/// operator after an incident can act on the exit code; waiting CA requests and mail are reported, not failed on.
/// </summary>
public static class CheckCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (await CommandDatabase.ReadAsync(args, "check") is not { } options)
            return 2;
        var counts = await ConsistencyCheck.ReadAsync(options.ConnectionString, TimeProvider.System.GetUtcNow(), CancellationToken.None);
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            applicationsIssuedTwice = counts.ApplicationsIssuedTwice,
            caCertificatesUnknownToRa = counts.CaCertificatesUnknownToRa,
            openCaRequests = counts.OpenCaRequests,
            oldestOpenCaRequestSeconds = counts.OldestOpenCaRequestAge?.TotalSeconds,
            unsentMail = counts.UnsentMail,
            oldestUnsentMailSeconds = counts.OldestUnsentMailAge?.TotalSeconds,
            intact = counts.Intact,
        }));
        return counts.Intact ? 0 : 1;
    }
}
