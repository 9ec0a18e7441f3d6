namespace Ra.DevPki;

/// <summary>Optional settings for a CA made by <see cref="TestCa.CreateRoot"/> or <see cref="TestCa.IssueSubCa"/>.</summary>
public sealed record CaSpec
{
    /// <summary>Defaults to a day before the clock.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>Defaults to twenty years after the clock, so a generated dev PKI outlives the project.</summary>
    public DateTimeOffset? NotAfter { get; init; }

    public KeyAlgorithm Key { get; init; } = KeyAlgorithm.Rsa2048;

    /// <summary>
    /// Where this CA publishes its CRL; written as the CRL distribution point of every certificate it issues.
    /// Defaults to a localhost URL named after the CA's key identifier.
    /// </summary>
    public string? CrlUrl { get; init; }
}
