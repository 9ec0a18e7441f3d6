using System.Security.Cryptography.X509Certificates;

namespace CaConnector;

/// <summary>
/// <see cref="RevocationReason"/> against the reasonCode numbers of RFC 5280 5.3.1 that CRL entries, CMP revocation
/// requests and the RA's tables carry: one translation for the CA and the RA alike.
/// </summary>
public static class CrlReasonCodes
{
    public static int CodeOf(RevocationReason reason) => (int)reason;

    /// <summary>Null for a number RFC 5280 gives no reason (7, and above 10); what that means is the caller's to say.</summary>
    public static RevocationReason? ReasonOf(int code) =>
        Enum.IsDefined((RevocationReason)code) ? (RevocationReason)code : null;

    /// <summary>
    /// A CRL entry's reasonCode as .NET's CRL builder takes it: none for unspecified, since RFC 5280 5.3.1 asks for the
    /// extension to be left out rather than written with that value.
    /// </summary>
    public static X509RevocationReason? CrlEntryReasonOf(RevocationReason reason) =>
        reason == RevocationReason.Unspecified ? null : (X509RevocationReason)CodeOf(reason);
}
