using System.Text.Json;
using System.Text.Json.Nodes;
using Ra.DevPki;

namespace DevTools;

/// <summary>
/// Writes the `ra` profile of a local instance (docs/CLI.md): the server's address, the dev TLS CA as trust, and
/// every dev client certificate under its role with a password file, so `ra --profile .ra-dev/profile.json ...`
/// works for each role without typing paths, from any working directory (the paths in it are absolute). The integration tests of the CLI use the same file.
/// </summary>
public static class DevProfile
{
    /// <summary>The clerk id the office commands send from this profile.</summary>
    public const string ClerkId = "clerk-dev";

    /// <summary>The dev company's UBN and registered name, as its MOEACA certificate carries them.</summary>
    public const string CompanyUbn = "04595252";

    public const string CompanyName = "測試報關股份有限公司";

    public static string Write(string folder, Uri server, DevPki pki)
    {
        Directory.CreateDirectory(folder);
        var passwordFile = Path.GetFullPath(Path.Combine(folder, "p12-password.txt"));
        File.WriteAllText(passwordFile, DevPki.Password + "\n");
        var identities = new JsonObject();
        foreach (var client in DevClient.All)
            identities[client.FileName] = new JsonObject { ["pkcs12"] = Path.GetFullPath(pki.ClientP12(client)), ["passwordFile"] = passwordFile };
        // The dev company (DevPkiGenerator): the signer the applicant commands name in each signed header.
        identities["applicant"] = new JsonObject
        {
            ["pkcs12"] = Path.GetFullPath(pki.CompanyP12), ["passwordFile"] = passwordFile,
            ["ubn"] = CompanyUbn, ["name"] = CompanyName, ["email"] = "operator@example.test",
        };
        var profile = new JsonObject
        {
            ["server"] = server.GetLeftPart(UriPartial.Authority),
            ["trust"] = Path.GetFullPath(pki.TlsCaCertificate),
            ["officeCode"] = DevClient.All.Single(c => c.FileName == "officer").OrganizationalUnit,
            ["clerkId"] = ClerkId,
            ["identities"] = identities,
        };
        var path = Path.Combine(folder, "profile.json");
        File.WriteAllText(path, profile.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        return path;
    }
}
