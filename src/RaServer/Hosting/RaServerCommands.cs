using Microsoft.Extensions.Options;

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
                try
                {
                    await using var app = RaServerApp.Build(rest);
                    // Checked before the host starts, which would log the refusal with its stack trace first.
                    app.Services.GetRequiredService<IStartupValidator>().Validate();
                    await app.RunAsync();
                    return 0;
                }
                catch (OptionsValidationException refused)
                {
                    // A setting that cannot work (a refused token PIN too) is the operator's to fix: the sentences, not a trace.
                    await Console.Error.WriteLineAsync("RaServer did not start:");
                    foreach (var failure in refused.Failures)
                        await Console.Error.WriteLineAsync("  " + failure);
                    return 1;
                }
            case "migrate":
                return await MigrateCommand.RunAsync(rest);
            case "check":
                return await CheckCommand.RunAsync(rest);
            case "audit":
                return await AuditCommand.RunAsync(rest);
            default:
                await Console.Error.WriteLineAsync($"unknown command '{verb}'; use serve, migrate, check or audit (local runs: ra-dev dev)");
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
