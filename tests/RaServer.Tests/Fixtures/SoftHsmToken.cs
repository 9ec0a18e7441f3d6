using System.Diagnostics;
using System.Runtime.InteropServices;
using EmbeddedCa.Pkcs11;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace RaServer.Tests.Fixtures;

/// <summary>
/// A softhsm2 token made with softhsm2-util in a folder of its own, as an operator makes one (docs/HSM.md). A
/// PKCS#11 module reads SOFTHSM2_CONF and sees its folder's tokens only when it is initialised, once per process
/// (<see cref="Pkcs11Module"/>): so the tokens servers in this process use (<see cref="SharedAsync"/>) are all made
/// before the module first loads, in one folder, and each test keeps to key labels of its own
/// (<see cref="KeyLabelSettings"/>). A token for another process (<see cref="CreateForProcessAsync"/>) has its own
/// folder and SOFTHSM2_CONF.
/// </summary>
public sealed class SoftHsmToken
{
    public const string Module = "/usr/lib/softhsm/libsofthsm2.so";
    public const string SoPin = "87654321";

    private static readonly Lazy<Task<SharedTokens>> Shared = new(CreateSharedAsync);

    private SoftHsmToken(string label, string pin, string configFile)
    {
        Label = label;
        Pin = pin;
        ConfigFile = configFile;
    }

    public string Label { get; }

    public string Pin { get; }

    /// <summary>The SOFTHSM2_CONF that shows this token.</summary>
    public string ConfigFile { get; }

    /// <summary>The token the servers of this test process keep their CA keys in.</summary>
    public static async Task<SoftHsmToken> SharedAsync() => (await Shared.Value).Signing;

    /// <summary>A token of this process that nothing logs in to: a wrong PIN is refused only before anyone logged in.</summary>
    public static async Task<SoftHsmToken> NeverLoggedInAsync() => (await Shared.Value).NeverLoggedIn;

    /// <summary>A token in a new folder, for a server started as a separate process with this token's SOFTHSM2_CONF.</summary>
    public static async Task<SoftHsmToken> CreateForProcessAsync(string folder)
    {
        var config = await WriteConfigAsync(folder);
        return await InitAsync(config, "ra-process-test", "112233");
    }

    /// <summary>EmbeddedCa settings that keep the CA's keys in this token, under labels no other test uses.</summary>
    public Action<Dictionary<string, string?>> Settings(string keyLabelPrefix, string? pin = null) => settings =>
    {
        settings["EmbeddedCa:KeySource"] = "Pkcs11";
        settings["EmbeddedCa:Pkcs11:Library"] = Module;
        settings["EmbeddedCa:Pkcs11:TokenLabel"] = Label;
        settings["EmbeddedCa:Pkcs11:Pin"] = pin ?? Pin;
        foreach (var (key, value) in KeyLabelSettings(keyLabelPrefix))
            settings[key] = value;
    };

    public static Dictionary<string, string> KeyLabelSettings(string prefix) => new()
    {
        ["EmbeddedCa:Pkcs11:RootKeyLabel"] = prefix + "-root",
        ["EmbeddedCa:Pkcs11:IssuingKeyLabel"] = prefix + "-issuing",
        ["EmbeddedCa:Pkcs11:CmpSignerKeyLabel"] = prefix + "-cmp-signer",
    };

    /// <summary>A logged-in session of the token on the process's one instance of the module, for looking at what the CA made.</summary>
    public T Inspect<T>(Func<ISession, T> look)
    {
        var slot = Pkcs11Module.Load(Module).GetSlotList(SlotsType.WithTokenPresent).Single(s => s.GetTokenInfo().Label == Label);
        using var session = slot.OpenSession(SessionType.ReadOnly);
        try
        {
            session.Login(CKU.CKU_USER, Pin);
        }
        catch (Pkcs11Exception e) when (e.RV == CKR.CKR_USER_ALREADY_LOGGED_IN)
        {
            // A server of this process logged in already; the login is the process's.
        }
        return look(session);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int setenv(string name, string value, int overwrite);

    private sealed record SharedTokens(SoftHsmToken Signing, SoftHsmToken NeverLoggedIn);

    private static async Task<SharedTokens> CreateSharedAsync()
    {
        var folder = Directory.CreateTempSubdirectory("ra-softhsm-").FullName;
        var config = await WriteConfigAsync(folder);
        var signing = await InitAsync(config, "ra-tests", "123456");
        var neverLoggedIn = await InitAsync(config, "ra-tests-no-login", "654321");
        // Before the module is first loaded in this process: it reads the variable then, and only then, with getenv,
        // which sees the native environment (Environment.SetEnvironmentVariable changes only .NET's copy on Linux).
        if (setenv("SOFTHSM2_CONF", config, 1) != 0)
            throw new InvalidOperationException("setenv SOFTHSM2_CONF failed");
        return new SharedTokens(signing, neverLoggedIn);
    }

    private static async Task<string> WriteConfigAsync(string folder)
    {
        var tokens = Directory.CreateDirectory(Path.Combine(folder, "tokens")).FullName;
        var config = Path.Combine(folder, "softhsm2.conf");
        await File.WriteAllTextAsync(config, $"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n");
        return config;
    }

    private static async Task<SoftHsmToken> InitAsync(string config, string label, string pin)
    {
        var start = new ProcessStartInfo("softhsm2-util") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "--init-token", "--free", "--label", label, "--so-pin", SoPin, "--pin", pin })
            start.ArgumentList.Add(argument);
        start.Environment["SOFTHSM2_CONF"] = config;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("softhsm2-util did not start (scripts/install-deps installs softhsm2)");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"softhsm2-util --init-token failed ({process.ExitCode}): {await error}{await output}");
        return new SoftHsmToken(label, pin, config);
    }
}
