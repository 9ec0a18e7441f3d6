using RaServer.Storage;
using RaServer.Workflow;
namespace RaServer.Policy;

/// <summary>
/// The one spelling of a certificate serial number in the RA: upper-case hex without leading zeros. A DER integer
/// may carry a 00 sign byte, .NET prints whole bytes, callers type what they see: all must meet in one form, or a
/// revoked certificate could be looked up under another spelling and pass as good.
/// </summary>
public static class SerialHex
{
    public static string Canonical(string serialHex)
    {
        var trimmed = serialHex.Trim().ToUpperInvariant().TrimStart('0');
        return trimmed.Length == 0 ? "0" : trimmed;
    }
}
