namespace EmbeddedCa;

/// <summary>What the CA core needs to know; the host fills it from its options class.</summary>
public sealed record EmbeddedCaSettings
{
    /// <summary>Key type of keys made on first start; keys found in the store keep their own type.</summary>
    public CaKeyAlgorithm KeyAlgorithm { get; init; } = CaKeyAlgorithm.EcdsaP256;

    /// <summary>The O= of the CA certificates.</summary>
    public string Organization { get; init; } = "Customs-Port-Trade Single Window";

    public string RootCommonName { get; init; } = "Customs Dedicated Root CA";

    public string IssuingCommonName { get; init; } = "Customs Dedicated Issuing CA";

    public string CmpSignerCommonName { get; init; } = "Customs Dedicated CA CMP Signer";

    /// <summary>Where the CA's CRL and certificates are published (CRL DP and AIA of every certificate).</summary>
    public required CaLinks Links { get; init; }

    /// <summary>URL of the root certificate, written as caIssuers into the issuing CA certificate.</summary>
    public required string RootCertificateUrl { get; init; }

    /// <summary>nextUpdate − thisUpdate of every CRL.</summary>
    public TimeSpan CrlValidity { get; init; } = TimeSpan.FromDays(1);

    /// <summary>A CRL older than this is reissued by the scheduled refresh, even with no status change.</summary>
    public TimeSpan CrlRefreshInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Longest validity a caller may ask for, in years.</summary>
    public int MaxValidityYears { get; init; } = 10;
}
