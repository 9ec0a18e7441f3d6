using System.CommandLine;

namespace Ra.Cli.Settings;

/// <summary>The options every command takes (Recursive), placed before or after the command name.</summary>
public static class GlobalOptions
{
    public static readonly Option<string> Server = new("--server", "-s")
    {
        Description = "The RA's gRPC address, e.g. https://127.0.0.1:5443 (default: the profile's \"server\")",
        HelpName = "URL",
        Recursive = true,
    };

    public static readonly Option<string> Trust = new("--trust", "--ca")
    {
        Description = "The CA certificate (PEM or DER) the RA's TLS certificate must chain to (default: the profile's "
            + "\"trust\", else the system's store)",
        HelpName = "FILE",
        Recursive = true,
    };

    public static readonly Option<string> Profile = new("--profile")
    {
        Description = "The profile file (default: $RA_PROFILE, else ~/.config/ra/profile.json)",
        HelpName = "FILE",
        Recursive = true,
    };

    public static readonly Option<string> Identity = new("--identity", "-i")
    {
        Description = "The PKCS#12 file of the role the command speaks for (default: the profile's identities.<role>.pkcs12)",
        HelpName = "FILE.p12",
        Recursive = true,
    };

    public static readonly Option<string> PasswordFile = new("--password-file")
    {
        Description = "A file whose first line is the identity's password (else RA_<ROLE>_PASSWORD, RA_PASSWORD, or a prompt)",
        HelpName = "FILE",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print the answer as protobuf JSON, for scripts",
        Recursive = true,
    };

    public static readonly Option<int> Timeout = new("--timeout")
    {
        Description = "Seconds to wait for the RA's answer",
        HelpName = "SECONDS",
        DefaultValueFactory = _ => 30,
        Recursive = true,
    };

    public static IEnumerable<Option> All => [Server, Trust, Profile, Identity, PasswordFile, Json, Timeout];
}
