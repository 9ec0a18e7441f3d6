namespace Ra.Client.Files;

/// <summary>
/// The keys of the ready-to-use system's plug-in file that the SDK sets (docs/PLUGIN-FILE.md). Configurable because
/// the systems of different vendors name them differently; the defaults are the ones the SDK documents.
/// </summary>
/// <param name="CertificatePath">Where the certificate is: set to the folder's cert.pem.</param>
/// <param name="KeyStorePath">Where the key store is: set to the folder's keystore.p12 (certificate, key and chain).</param>
public sealed record PluginKeyNames(string CertificatePath = PluginKeyNames.DefaultCertificatePath, string KeyStorePath = PluginKeyNames.DefaultKeyStorePath)
{
    public const string DefaultCertificatePath = "cert.path";
    public const string DefaultKeyStorePath = "keystore.path";

    public static PluginKeyNames Default { get; } = new();
}
