using Npgsql;
using Ra.DevPki;

namespace DevTools;

/// <summary>
/// `ra-dev dev`: the one-command local start. It makes (once) the development PKI, starts a local
/// PostgreSQL cluster unless Database:ConnectionString is set, migrates, serves, and on Ctrl+C stops both.
/// `ra-dev devpki` only makes the PKI.
/// </summary>
public static class DevCommand
{
    public static async Task<int> GeneratePkiAsync(string[] args)
    {
        if (Parse(args) is not { } arguments)
            return 2;
        var pki = await DevPkiGenerator.GenerateAsync(Path.Combine(arguments.Dir, "pki"));
        Console.WriteLine($"development PKI in {pki.Folder} (see {pki.Readme})");
        return 0;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        if (Parse(args) is not { } arguments)
            return 2;
        await using var instance = await DevInstance.StartAsync(arguments);
        var profile = DevProfile.Write(instance.Folder, instance.GrpcAddress, instance.Pki);
        Console.WriteLine(Banner(instance, profile));
        await instance.App.WaitForShutdownAsync();
        return 0;
    }

    private static DevArguments? Parse(string[] args)
    {
        var arguments = DevArguments.Parse(args, out var error);
        if (arguments is null)
            Console.Error.WriteLine(error);
        return arguments;
    }

    private static string Banner(DevInstance instance, string profile)
    {
        var pki = instance.Pki;
        var server = instance.GrpcAddress.GetLeftPart(UriPartial.Authority);
        var postgres = new NpgsqlConnectionStringBuilder(instance.ConnectionString) { Password = null };
        var adopted = instance.Cluster?.Adopted == true ? " (already running for this folder; left running on exit)" : "";
        return $"""

            RaServer is listening on {server} (gRPC over TLS; health and reflection are on).
              Embedded CA:    {instance.CaAddress?.GetLeftPart(UriPartial.Authority) ?? "(no plain-HTTP listener)"} (CMP, CRL, CA certificates)
              PostgreSQL:     {postgres}{adopted}
              Dev PKI:        {pki.Folder} (p12 password "{DevPki.Password}"; see README.txt there)
              Server CA:      {pki.TlsCaCertificate}
              E-mail notices: {Path.Combine(instance.Folder, "mail")} (.eml files)
              ra profile:     {profile} (every role's identity; docs/CLI.md)

            Call it (ra is `dotnet run --project src/Clients/Ra.Cli --` until installed, see docs/CLI.md):
              export RA_PROFILE={profile}
              ra info
              ra health
              ra registry upsert-operator 04595252 --name 測試報關股份有限公司 --kind customs-broker --office AA --box 207/0
              ra office list
            Press Ctrl+C to stop the server and the local PostgreSQL cluster this instance started.
            """;
    }
}
