using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EmbeddedCa;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Ra.DevPki;
using RaServer.Api;
using RaServer.Hosting;
using RaServer.Storage;
using RaServer.Workers;

namespace RaServer.Tests.EmbeddedCa;

/// <summary>
/// A web host with only the embedded CA wired the way the integrator wires it into RaServerApp
/// (AddEmbeddedCaListener, AddEmbeddedCa, MapEmbeddedCa), on 127.0.0.1 with a free port, over a fresh database.
/// Writes the RA's CMP client certificate and key, and an impostor's, as PEM files for openssl.
/// </summary>
public sealed class EmbeddedCaHost : IAsyncDisposable
{
    public const string Passphrase = "correct horse battery staple";

    private readonly WebApplication _app;
    private readonly TestCa _clientCa;

    private EmbeddedCaHost(WebApplication app, TestCa clientCa, string folder, Uri address)
    {
        _app = app;
        _clientCa = clientCa;
        Folder = folder;
        Address = address;
    }

    public string Folder { get; }

    /// <summary>http://127.0.0.1:port of the CA listener.</summary>
    public Uri Address { get; }

    public IServiceProvider Services => _app.Services;

    public EmbeddedCertificateAuthority Ca => _app.Services.GetRequiredService<EmbeddedCertificateAuthority>();

    public string File(string name) => Path.Combine(Folder, name);

    /// <param name="otherPort">When set, a second, ordinary listener on this port (standing in for the gRPC one).</param>
    public static async Task<EmbeddedCaHost> StartAsync(string connectionString, Action<Dictionary<string, string?>>? configure = null, int? otherPort = null)
    {
        var folder = Directory.CreateTempSubdirectory("ra-embedded-ca-").FullName;
        var clientCa = TestCa.CreateRoot("C=TW, O=RaBackend Tests, CN=CMP Client CA", new CaSpec { Key = KeyAlgorithm.EcdsaP256 });
        WritePair(folder, "ra", clientCa.IssueLeaf(Leaf("C=TW, O=RaBackend Tests, CN=Registration Authority")));
        WritePair(folder, "impostor", clientCa.IssueLeaf(Leaf("C=TW, O=RaBackend Tests, CN=Registration Authority")));

        var settings = new Dictionary<string, string?>
        {
            ["EmbeddedCa:KeyPassphrase"] = Passphrase,
            ["EmbeddedCa:HttpPort"] = "0",
            ["EmbeddedCa:CmpTrustedClientCertificates:0"] = Path.Combine(folder, "ra.crt"),
            ["Logging:LogLevel:Default"] = "Warning",
            // Every host makes its own CA, sealing and opening three keys: OWASP's 600,000 PBKDF2 rounds would cost
            // seconds per test for nothing these tests look at (the count is stored in the PEM; see EmbeddedCaStoreTests).
            ["EmbeddedCa:KeySealingIterations"] = "1000",
        };
        configure?.Invoke(settings);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddEmbeddedCaListener();
        if (otherPort is { } port)
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, port));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        builder.Services.AddEmbeddedCa(builder.Configuration);
        var app = builder.Build();
        app.MapEmbeddedCa();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Single(a => otherPort is null || new Uri(a).Port != otherPort);

        var host = new EmbeddedCaHost(app, clientCa, folder, new Uri(address));
        var material = await host.Ca.GetMaterialAsync(CancellationToken.None);
        await System.IO.File.WriteAllTextAsync(host.File("root.crt"), material.Root.ExportCertificatePem() + "\n");
        await System.IO.File.WriteAllTextAsync(host.File("issuing.crt"), material.Issuing.ExportCertificatePem() + "\n");
        await System.IO.File.WriteAllTextAsync(host.File("cmp-signer.crt"), material.CmpSigner.ExportCertificatePem() + "\n");
        return host;
    }

    /// <summary>A fresh P-256 key and CSR written as files; returns the CSR path.</summary>
    public string NewCsr(string name, string subject = "/C=TW/O=Third Party/CN=Applicant")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        System.IO.File.WriteAllText(File(name + ".key"), key.ExportPkcs8PrivateKeyPem() + "\n");
        var request = new CertificateRequest(
            new X500DistinguishedName(string.Join(", ", subject.Trim('/').Split('/').Reverse())), key, HashAlgorithmName.SHA256);
        System.IO.File.WriteAllText(File(name + ".csr"), request.CreateSigningRequestPem() + "\n");
        return File(name + ".csr");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _clientCa.Dispose();
        Directory.Delete(Folder, recursive: true);
    }

    private static LeafSpec Leaf(string subject) =>
        new() { SubjectDn = subject, KeyUsage = X509KeyUsageFlags.DigitalSignature, Key = KeyAlgorithm.EcdsaP256 };

    private static void WritePair(string folder, string name, X509Certificate2 certificate)
    {
        System.IO.File.WriteAllText(Path.Combine(folder, name + ".crt"), certificate.ExportCertificatePem() + "\n");
        System.IO.File.WriteAllText(Path.Combine(folder, name + ".key"), certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem() + "\n");
    }
}
