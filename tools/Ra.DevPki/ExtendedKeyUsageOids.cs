namespace Ra.DevPki;

/// <summary>The extendedKeyUsage purposes (RFC 5280 4.2.1.12) of the dev PKI's TLS certificates.</summary>
public static class ExtendedKeyUsageOids
{
    public const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    public const string ClientAuth = "1.3.6.1.5.5.7.3.2";
}
