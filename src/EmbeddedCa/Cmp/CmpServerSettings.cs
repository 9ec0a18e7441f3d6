using System.Security.Cryptography.X509Certificates;

namespace EmbeddedCa.Cmp;

/// <summary>Who may talk CMP to the embedded CA, and what a bare p10cr from them gets.</summary>
public sealed record CmpServerSettings
{
    /// <summary>
    /// The client certificates whose signatures are accepted on requests, pinned one by one (the RA's CMP
    /// certificate, a trusted third party's). Anyone else is answered notAuthorized.
    /// </summary>
    public required IReadOnlyList<X509Certificate2> TrustedClients { get; init; }

    /// <summary>Validity of certificates issued through a raw p10cr, which carries no fee schedule.</summary>
    public int ValidityYears { get; init; } = 3;
}
