namespace RaServer.Hosting;

/// <summary>The RaServer command line: one verb per way of running the RA.</summary>
public static class RaServerCommands
{
    public static async Task<int> RunAsync(string[] args)
    {
        var verb = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "serve";
        var rest = verb == "serve" && (args.Length == 0 || args[0].StartsWith('-')) ? args : args[1..];
        switch (verb)
        {
            case "serve":
                await RaServerApp.Build(rest).RunAsync();
                return 0;
            case "migrate":
                return await MigrateCommand.RunAsync(rest);
            case "check":
                return await CheckCommand.RunAsync(rest);
            default:
                await Console.Error.WriteLineAsync($"unknown command '{verb}'; use serve, migrate or check (local runs: ra-dev dev)");
                return 2;
        }
    }

    /// <summary>Reads `--name value` from the arguments, or the default.</summary>
    public static string Option(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
