using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RaServer.Api;

/// <summary>
/// How an Auth:Clients entry recognises its certificate: the issuing CA's key and the certificate's full subject or
/// key. Public so that the dev settings pin the dev clients with the same arithmetic the server applies.
/// </summary>
public static class ClientPins
{
    /// <summary>Hex SHA-256 of the certificate's SubjectPublicKeyInfo (the HPKP / RFC 7469 pin, in hex).</summary>
    public static string SpkiSha256(X509Certificate2 certificate) =>
        Convert.ToHexString(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));

    public static bool IsSpkiSha256(string? value) => value is { Length: 64 } && value.All(Uri.IsHexDigit);

    /// <summary>
    /// A configured subject in the form certificates are compared in, or null when it does not parse. Both sides are
    /// rendered from DER by the same formatter, so spacing after commas and string encodings do not matter; order and
    /// values do.
    /// </summary>
    public static string? NormalizedSubject(string? dn)
    {
        if (string.IsNullOrWhiteSpace(dn))
            return null;
        try
        {
            // Rendered again from the DER: a name parsed from a string keeps the string as its Name, spacing and all.
            var name = new X500DistinguishedName(new X500DistinguishedName(dn).RawData).Name;
            return string.IsNullOrEmpty(name) ? null : name;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    public static bool SameHex(string? configured, string actual) =>
        configured is not null && string.Equals(configured, actual, StringComparison.OrdinalIgnoreCase);
}

/// <summary>A client certificate that chains to the client CAs, with what the allow-list pins: issuer key, own key, subject.</summary>
public sealed record ValidatedClientCertificate(string IssuerSpkiSha256, string SpkiSha256, string Subject);
