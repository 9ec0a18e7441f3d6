namespace RaServer.Tests.Harness;

/// <summary>
/// Recognises text that came from a library rather than from the RA: .NET's ASN.1 and crypto exceptions, OpenSSL's
/// error queue, Npgsql and PostgreSQL. A refusal carrying it tells a caller about the server's insides and changes
/// whenever a library is upgraded, so the tests that damage inputs check every refusal message against it.
/// </summary>
public static class LibraryText
{
    private static readonly string[] Markers =
    [
        "ASN1", "corrupted", "curve", "Int32", "error:", "routines", "OpenSSL", "Exception", "SQLSTATE", "Npgsql",
        "violates", "invalid byte sequence", "DataRow", "unexpected end", "StatusInformation",
    ];

    /// <summary>The first marker of library text in <paramref name="message"/>, or null when it has none.</summary>
    public static string? Find(string? message) =>
        message is null ? null : Markers.FirstOrDefault(m => message.Contains(m, StringComparison.OrdinalIgnoreCase));
}
