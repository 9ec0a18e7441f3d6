namespace Ra.Cli.Settings;

/// <summary>
/// Whom a command speaks for, which decides the identity file it loads: the four system roles present an mTLS
/// client certificate (the RA's Auth:Clients), an applicant signs each request (SignedEnvelope); info and health
/// need neither.
/// </summary>
public enum CallerRole
{
    Anonymous,
    Officer,
    Registry,
    Fees,
    Verifier,
    Applicant,
}

public static class CallerRoles
{
    /// <summary>The key under "identities" in the profile, and the middle of the RA_&lt;ROLE&gt;_PASSWORD variable.</summary>
    public static string Key(this CallerRole role) => role switch
    {
        CallerRole.Anonymous => "anonymous",
        CallerRole.Officer => "officer",
        CallerRole.Registry => "registry",
        CallerRole.Fees => "fees",
        CallerRole.Verifier => "verifier",
        CallerRole.Applicant => "applicant",
    };

    public static string PasswordVariable(this CallerRole role) => $"RA_{role.Key().ToUpperInvariant()}_PASSWORD";
}
