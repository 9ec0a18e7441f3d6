namespace Ra.DevPki;

/// <summary>An mTLS client of the RA in the dev PKI: file name under clients/, and the certificate's CN and OU.</summary>
public sealed record DevClient(string FileName, string CommonName, string? OrganizationalUnit = null)
{
    /// <summary>The clerk of the 基隆關 office (office code AA), and the three system clients.</summary>
    public static IReadOnlyList<DevClient> All { get; } =
    [
        new("officer", "officer-AA", "AA"),
        new("registry", "registry"),
        new("fees", "fees"),
        new("verifier", "verifier"),
    ];
}
