using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Ra.DevPki;
using RaServer.Api;

namespace DevTools;

/// <summary>
/// The configuration that points the RA at a development PKI and database. The `dev` command and the
/// test harness use the same settings, so the tests exercise what a newcomer runs.
/// </summary>
public static class DevSettings
{
    public const string DevCaPassphrase = "ra-dev-embedded-ca (development only)";

    public static Dictionary<string, string?> For(DevPki pki, string connectionString, int port)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Server:Port"] = port.ToString(CultureInfo.InvariantCulture),
            ["Server:TlsCertificatePath"] = pki.TlsServerCertificate,
            ["Server:TlsKeyPath"] = pki.TlsServerKey,
            ["Database:ConnectionString"] = connectionString,
            ["Audit:SigningCertificatePath"] = pki.AuditSigningCertificate,
            ["Audit:SigningKeyPath"] = pki.AuditSigningKey,
            ["Auth:ClientCaBundlePath"] = pki.ClientCaBundle,
            // A development passphrase for the embedded CA's keys; production configures its own secret.
            ["EmbeddedCa:KeyPassphrase"] = DevCaPassphrase,
            ["EmbeddedCa:CmpTrustedClientCertificates:0"] = pki.ClientCertificate(DevClient.All.Single(c => c.FileName == "registry")),
        };
        // Each dev client is pinned to GCA and to its own key, as production pins its system clients.
        using var gca = X509CertificateLoader.LoadCertificateFromFile(pki.CaCertificate(DevCa.Gca));
        var gcaPin = ClientPins.SpkiSha256(gca);
        foreach (var client in DevClient.All)
        {
            using var certificate = X509CertificateLoader.LoadCertificateFromFile(pki.ClientCertificate(client));
            settings[$"Auth:Clients:{client.CommonName}:Role"] = RoleOf(client);
            settings[$"Auth:Clients:{client.CommonName}:IssuerSpkiSha256"] = gcaPin;
            settings[$"Auth:Clients:{client.CommonName}:SpkiSha256"] = ClientPins.SpkiSha256(certificate);
            if (client.OrganizationalUnit is { } office)
                settings[$"Auth:Clients:{client.CommonName}:OfficeCode"] = office;
        }
        AddList(settings, "Trust:TrustAnchorFiles", pki.TrustAnchorFiles);
        AddList(settings, "Trust:IntermediateFiles", pki.IntermediateFiles);
        AddList(settings, "Trust:CrlFiles", pki.CrlFiles);
        return settings;
    }

    private static string RoleOf(DevClient client) => client.FileName switch
    {
        "officer" => Roles.Officer,
        "registry" => Roles.Registry,
        "fees" => Roles.Fees,
        "verifier" => Roles.Verifier,
        _ => throw new InvalidOperationException($"no role for dev client {client.FileName}"),
    };

    private static void AddList(Dictionary<string, string?> settings, string key, IReadOnlyList<string> values)
    {
        for (var i = 0; i < values.Count; i++)
            settings[$"{key}:{i}"] = values[i];
    }
}
