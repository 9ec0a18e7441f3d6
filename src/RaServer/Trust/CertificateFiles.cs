using System.Security.Cryptography.X509Certificates;

namespace RaServer.Trust;

/// <summary>Reads certificate files as operators get them: PEM (one or a bundle) or a single DER certificate.</summary>
internal static class CertificateFiles
{
    public static IEnumerable<X509Certificate2> Load(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (!System.Text.Encoding.ASCII.GetString(bytes).Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            return [X509CertificateLoader.LoadCertificate(bytes)];
        var collection = new X509Certificate2Collection();
        collection.ImportFromPemFile(path);
        return collection;
    }
}
