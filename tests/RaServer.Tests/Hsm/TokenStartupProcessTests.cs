using System.Diagnostics;
using DevTools;
using RaServer.Tests.DevPkiTests;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;

namespace RaServer.Tests.Hsm;

/// <summary>
/// The server as an operator starts it, a process of its own with its own softhsm2 folder (SOFTHSM2_CONF) and the
/// PIN from the environment: a refused PIN ends it with the reason in a sentence, not a stack trace.
/// </summary>
public sealed class TokenStartupProcessTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task A_server_process_given_a_wrong_pin_exits_saying_so_without_a_stack_trace()
    {
        using var folder = new TempFolder();
        var token = await SoftHsmToken.CreateForProcessAsync(folder.Path);
        var settings = DevSettings.For(await SharedDevPki.GetAsync(), await postgres.CreateDatabaseAsync(), port: 0);
        settings["EmbeddedCa:HttpPort"] = "0";
        settings["EmbeddedCa:KeySource"] = "Pkcs11";
        settings["EmbeddedCa:Pkcs11:Library"] = SoftHsmToken.Module;
        settings["EmbeddedCa:Pkcs11:TokenLabel"] = token.Label;

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "RaServer.dll"));
        start.ArgumentList.Add("serve");
        foreach (var (key, value) in settings)
            start.ArgumentList.Add($"--{key}={value}");
        start.Environment["SOFTHSM2_CONF"] = token.ConfigFile;
        start.Environment["EmbeddedCa__Pkcs11__Pin"] = "000000";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        var printed = await output + await error;

        Assert.Equal(1, process.ExitCode);
        Assert.Contains($"EmbeddedCa:Pkcs11 cannot open the CA's key token: The CA's key token '{token.Label}' failed: the PIN was refused (CKR_PIN_INCORRECT)", await error);
        Assert.DoesNotContain("   at ", printed);
    }
}
