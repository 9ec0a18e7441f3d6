using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Ra.Cli.Failures;

namespace Ra.Cli.Settings;

/// <summary>
/// Opens the PKCS#12 file of a caller role, telling apart the mistakes a person can fix: no file named, a file
/// that is missing, one that is not PKCS#12, a wrong password, one without a private key.
/// </summary>
public static class Identities
{
    public static X509Certificate2 Load(CallerRole role, string? pkcs12, string? passwordFile)
    {
        if (string.IsNullOrEmpty(pkcs12))
            throw CliFailure.Local(
                $"no {role.Key()} identity: pass --identity FILE.p12 or set identities.{role.Key()}.pkcs12 in the profile");
        if (!File.Exists(pkcs12))
            throw CliFailure.Local($"identity file {pkcs12} does not exist");
        var bytes = File.ReadAllBytes(pkcs12);
        Pkcs12Info info;
        try
        {
            info = Pkcs12Info.Decode(bytes, out _);
        }
        catch (CryptographicException)
        {
            throw CliFailure.Local($"identity file {pkcs12} is not a PKCS#12 file");
        }
        var password = Passwords.For(role, pkcs12, passwordFile);
        if (info.IntegrityMode == Pkcs12IntegrityMode.Password && !info.VerifyMac(password))
            throw CliFailure.Local($"wrong password for {pkcs12}");
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12(bytes, password, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (CryptographicException)
        {
            throw CliFailure.Local($"identity file {pkcs12} cannot be opened with that password");
        }
        return certificate.HasPrivateKey ? certificate : throw CliFailure.Local($"identity file {pkcs12} holds no private key");
    }

    /// <summary>The trust bundle: the one CA certificate (PEM or DER) the RA's TLS certificate must chain to.</summary>
    public static X509Certificate2 LoadTrust(string path)
    {
        if (!File.Exists(path))
            throw CliFailure.Local($"trust file {path} does not exist");
        var certificates = new X509Certificate2Collection();
        try
        {
            var text = File.ReadAllText(path);
            if (text.Contains("-----BEGIN", StringComparison.Ordinal))
                certificates.ImportFromPem(text);
            else
                certificates.Add(X509CertificateLoader.LoadCertificate(File.ReadAllBytes(path)));
        }
        catch (CryptographicException)
        {
            throw CliFailure.Local($"trust file {path} is not a PEM or DER certificate");
        }
        return certificates.Count switch
        {
            0 => throw CliFailure.Local($"trust file {path} is not a PEM or DER certificate"),
            1 => certificates[0],
            _ => throw CliFailure.Local($"trust file {path} holds {certificates.Count} certificates; give the RA's TLS CA alone"),
        };
    }
}
