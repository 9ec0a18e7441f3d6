using RaBench;
using RaBench.Scenarios;

// dotnet run -c Release --project bench/RaBench -- verify|get-application|import|issuance|all
// Scenarios run in this order; each prints its own figures and the ratio to a baseline measured in the same run.
string[] order = ["verify", "get-application", "import", "issuance"];
var chosen = args.Length == 1 && args[0] == "all" ? order : args;
if (chosen.Length == 0 || chosen.Any(a => !order.Contains(a)))
{
    Console.Error.WriteLine($"usage: RaBench <{string.Join('|', order)}|all> [more scenarios]");
    return 2;
}

Console.WriteLine($"RaBench {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, "
    + $"server GC {System.Runtime.GCSettings.IsServerGC}, DOTNET_ThreadPool_UnfairSemaphoreSpinLimit="
    + (Environment.GetEnvironmentVariable("DOTNET_ThreadPool_UnfairSemaphoreSpinLimit") ?? "(unset)"));
Console.WriteLine("Starting PostgreSQL, the dev PKI and RaServer ...");
await using var env = await BenchEnvironment.StartAsync();
Console.WriteLine($"RaServer at {env.Address}, PostgreSQL on 127.0.0.1:{env.Cluster.Port}");

foreach (var scenario in order.Where(chosen.Contains))
{
    switch (scenario)
    {
        case "verify": VerifyScenario.Run(env); break;
        case "get-application": await GetApplicationScenario.RunAsync(env); break;
        case "import": await ImportScenario.RunAsync(env); break;
        case "issuance": await IssuanceScenario.RunAsync(env); break;
    }
}
return 0;
