using System.Text.Json;
using System.Text.Json.Serialization;
using Ra.Cli.Failures;

namespace Ra.Cli.Settings;

/// <summary>
/// The profile file: where the RA is, which CA its TLS certificate chains to, and the identity files per caller
/// role, so a clerk or a feed types them once. Read from --profile FILE, else $RA_PROFILE, else
/// $XDG_CONFIG_HOME/ra/profile.json (~/.config/ra/profile.json); relative paths in it are relative to the file.
/// Options on the command line win over it. The format is in docs/CLI.md.
/// </summary>
public sealed class Profile
{
    /// <summary>The RA's gRPC address, e.g. https://ra.example.gov.tw:443.</summary>
    public string? Server { get; set; }

    /// <summary>The CA certificate (PEM or DER) the RA's TLS certificate must chain to; absent: the system's store.</summary>
    public string? Trust { get; set; }

    /// <summary>The clerk's office code (office intake's receiving office).</summary>
    public string? OfficeCode { get; set; }

    /// <summary>The clerk id written to the audit log by the office commands.</summary>
    public string? ClerkId { get; set; }

    /// <summary>Identity files by role key (officer, registry, fees, verifier, applicant).</summary>
    public Dictionary<string, ProfileIdentity> Identities { get; set; } = [];

    /// <summary>The file this profile came from, or null for the empty default.</summary>
    [JsonIgnore]
    public string? Path { get; private set; }

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>An explicit file must exist; the default location may be absent (an empty profile).</summary>
    public static Profile Load(string? explicitPath)
    {
        var path = explicitPath ?? Environment.GetEnvironmentVariable("RA_PROFILE");
        var isExplicit = !string.IsNullOrEmpty(path);
        path = isExplicit ? System.IO.Path.GetFullPath(path!) : DefaultPath();
        if (!File.Exists(path))
            return isExplicit ? throw CliFailure.Local($"profile {path} does not exist") : new Profile();
        Profile profile;
        try
        {
            profile = JsonSerializer.Deserialize<Profile>(File.ReadAllText(path), Json) ?? new Profile();
        }
        catch (JsonException e)
        {
            throw CliFailure.Local($"profile {path} is not valid: {e.Message}");
        }
        profile.Path = path;
        profile.Identities = new Dictionary<string, ProfileIdentity>(profile.Identities ?? [], StringComparer.OrdinalIgnoreCase);
        return profile;
    }

    /// <summary>A path from the profile, made absolute against the profile's folder.</summary>
    public string? Resolve(string? relative) =>
        string.IsNullOrEmpty(relative) || Path is null ? relative
            : System.IO.Path.GetFullPath(relative, System.IO.Path.GetDirectoryName(Path)!);

    public static string DefaultPath()
    {
        var config = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
        if (string.IsNullOrEmpty(config))
            config = System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        return System.IO.Path.Combine(config, "ra", "profile.json");
    }
}

/// <summary>One identity of a profile: a PKCS#12 file and where its password comes from.</summary>
public sealed class ProfileIdentity
{
    /// <summary>The PKCS#12 file: the mTLS client certificate for a system role, the signing certificate for an applicant.</summary>
    public string? Pkcs12 { get; set; }

    /// <summary>A file whose first line is the password (keep it readable by you alone).</summary>
    public string? PasswordFile { get; set; }

    /// <summary>Applicant only: the UBN of the organization that signs (with <see cref="Name"/>), as each signed header names it.</summary>
    public string? Ubn { get; set; }

    /// <summary>Applicant only: the national id of the person that signs (with <see cref="Name"/>), instead of a UBN.</summary>
    public string? NationalId { get; set; }

    /// <summary>Applicant only: the registered name of the organization, or the person's name.</summary>
    public string? Name { get; set; }

    /// <summary>Applicant only: where the RA sends its notices for new applications (the default of --email).</summary>
    public string? Email { get; set; }
}
