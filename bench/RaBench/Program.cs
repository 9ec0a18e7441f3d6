using System.Diagnostics;
using RaBench;
using RaBench.Load;
using RaBench.Scenarios;

// dotnet run -c Release --project bench/RaBench -- [--variant 'NAME:Key=Value|...']... SCENARIO... | all
// The load process: RaBench load JOBFILE (started by the bench itself, see LoadProcess).
if (args is ["load", var jobFile])
    return await LoadMain.RunAsync(jobFile);

string[] order = ["verify", "get-application", "verify-message", "import", "issuance", "issuance-rsa", "cmp", "watch", "watch-batched", "crl", "startup"];
var variants = new List<BenchVariant>();
var chosen = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--variant" && i + 1 < args.Length)
        variants.Add(BenchVariant.Parse(args[++i]));
    else if (args[i] == "all")
        chosen.AddRange(order);
    else
        chosen.Add(args[i]);
}
if (chosen.Count == 0 || chosen.Any(a => !order.Contains(a)))
{
    Console.Error.WriteLine($"usage: RaBench [--variant 'NAME:Key=Value|...']... <{string.Join('|', order)}|all>...");
    return 2;
}
if (variants.Count == 0)
    variants.Add(BenchVariant.Default);
if (variants.FirstOrDefault(v => v.OnlyFor?.Any(s => !order.Contains(s)) == true) is { } unknown)
{
    Console.Error.WriteLine($"variant {unknown.Name} names a scenario that does not exist; scenarios: {string.Join(", ", order)}");
    return 2;
}

Console.WriteLine($"RaBench {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, "
    + $"server GC {System.Runtime.GCSettings.IsServerGC}, DOTNET_ThreadPool_UnfairSemaphoreSpinLimit="
    + (Environment.GetEnvironmentVariable("DOTNET_ThreadPool_UnfairSemaphoreSpinLimit") ?? "(unset)"));
Console.WriteLine($"uptime: {Machine.Uptime()}");
var disk = Machine.FdatasyncRate();
Console.WriteLine(disk);

foreach (var variant in variants)
{
    Report.Variant(variant);
    // T1b needs a CA with an RSA key from the start, T7 a CMP client pinned before the server starts: environments of their own.
    foreach (var group in order.Where(chosen.Contains).Where(variant.Runs).GroupBy(s => s is "issuance-rsa" or "cmp" ? s : ""))
    {
        var withRsa = group.Key == "issuance-rsa" ? variant with { Settings = new Dictionary<string, string>(variant.Settings) { ["EmbeddedCa:KeyAlgorithm"] = "Rsa2048" } } : variant;
        var started = Stopwatch.StartNew();
        await using var env = await BenchEnvironment.StartAsync(withRsa, group.Key == "cmp" ? CmpScenario.Prepare : null);
        Console.WriteLine($"RaServer at {env.Address}, PostgreSQL on 127.0.0.1:{env.Cluster.Port}, started in {started.Elapsed.TotalSeconds:F1} s");
        foreach (var scenario in group)
        {
            switch (scenario)
            {
                case "verify": VerifyScenario.Run(env); break;
                case "get-application": await GetApplicationScenario.RunAsync(env); break;
                case "verify-message": await VerifyMessageScenario.RunAsync(env); break;
                case "import": await ImportScenario.RunAsync(env); break;
                case "issuance": await IssuanceScenario.RunAsync(env, "≥ 0.8, ≥ 2,000/s, p99 ≤ 50 ms"); break;
                case "issuance-rsa": await IssuanceScenario.RunAsync(env, "≥ 1,500/s"); break;
                case "watch": await WatchScenario.RunAsync(env); break;
                case "watch-batched": await WatchScenario.RunAsync(env, perCommit: 10); break;
                case "crl": await CrlScenario.RunAsync(env); break;
                case "cmp": await CmpScenario.RunAsync(env); break;
                case "startup": await StartupScenario.RunAsync(env); break;
            }
        }
    }
}

Console.WriteLine();
Console.WriteLine("== summary (same-run ratios; compare variants line by line)");
foreach (var line in Report.Summary)
    Console.WriteLine("  " + line);
Console.WriteLine($"  {disk}");
Console.WriteLine($"uptime: {Machine.Uptime()}");
return 0;
