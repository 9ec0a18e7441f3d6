namespace RaServer.Api;

/// <summary>
/// How the contract spells a serial: lower-case hex without leading zeros. The RA stores and compares the upper-case
/// spelling of <see cref="CaConnector.SerialNumbers"/>; input of either case is canonicalised there, output is
/// lower-cased here, in one place.
/// </summary>
internal static class SerialSpelling
{
    /// <summary>The contract's spelling of a stored serial; empty for none.</summary>
    public static string ToWire(string? storedSerialHex) =>
        string.IsNullOrEmpty(storedSerialHex) ? "" : storedSerialHex.ToLowerInvariant();
}
