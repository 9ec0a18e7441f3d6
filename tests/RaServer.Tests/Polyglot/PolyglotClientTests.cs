using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Serialization;
using Customs.Ra.V1;
using Ra.Client.Signing;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;

namespace RaServer.Tests.Polyglot;

/// <summary>
/// The clients partners generate from protos/ in other languages (clients/python, clients/typescript) walk a new
/// certificate against the real server: generated as a partner would, signing with `openssl cms`, paying as the fee
/// system over mTLS, submitting an `openssl req` CSR and downloading. The C# client then checks what they left.
/// </summary>
public sealed class PolyglotClientTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private RaServerHarness server = null!;
    private WorkflowScenario scenario = null!;
    private PartnerCredentials credentials = null!;

    public async Task InitializeAsync()
    {
        // The CA dispatcher runs in the background as in production (woken when a request is queued): the scripts
        // wait for the certificate the way a partner app does, by asking for the application.
        server = await RaServerHarness.StartAsync(postgres, configure: settings => settings["CaDispatch:Concurrency"] = "1");
        scenario = new WorkflowScenario(server);
        await scenario.LoadRegistryAsync();
        credentials = new PartnerCredentials(server.Pki);
    }

    public async Task DisposeAsync()
    {
        credentials.Dispose();
        await server.DisposeAsync();
    }

    [Fact]
    public async Task The_python_client_generated_from_the_protos_applies_pays_submits_a_csr_and_downloads_its_certificate()
    {
        await Generate("clients/python/generate");
        await WalkAndCheck("/usr/bin/python3", "clients/python/contract_test.py");
    }

    [Fact]
    public async Task The_typescript_client_generated_from_the_protos_applies_pays_submits_a_csr_and_downloads_its_certificate()
    {
        await Generate("clients/typescript/generate");
        await WalkAndCheck("node", "clients/typescript/dist/src/contract_test.js");
    }

    private static async Task Generate(string generator)
    {
        var result = await ClientProcess.RunAsync(generator);
        Assert.True(result.ExitCode == 0, $"{generator} failed:\n{result.Output}");
    }

    private async Task WalkAndCheck(string runtime, string script)
    {
        await server.BeginTestAsync();
        // openssl signs with the wall clock; the server's test clock started with the server and has stood still.
        server.Clock.SetUtcNow(DateTimeOffset.UtcNow);

        var result = await ClientProcess.RunAsync(runtime, [script, .. credentials.Arguments(server.Address)]);

        Assert.True(result.ExitCode == 0, $"{script} failed:\n{result.Output}");
        var walked = JsonSerializer.Deserialize<WalkResult>(result.StandardOutput.TrimEnd().Split('\n')[^1])!;
        var application = await scenario.GetAsync(walked.ApplicationId);
        Assert.Equal(ApplicationState.Completed, application.State);
        Assert.Equal(ApplicationChannel.Online, application.Channel);
        Assert.Equal(walked.SerialHex, application.IssuedCertificateSerialHex);
        // The retried submission replayed the first answer, and the misdirected payload was refused for its binding.
        Assert.Equal(1, await server.CountAsync("applications"));
        Assert.Equal(["RPC_MISMATCH"], await server.RefusalReasonsAsync());

        var download = await scenario.Applicants.DownloadCertificateAsync(new DownloadCertificateRequest
        {
            Envelope = server.CompanySigner().Sign(new DownloadCertificatePayload
            {
                Header = RequestSigner.OrganizationHeader(WorkflowScenario.FirmUbn, WorkflowScenario.FirmName),
                ApplicationId = walked.ApplicationId,
            }),
        });
        Assert.Equal(CertificateState.Active, download.Certificate.State);
        using var certificate = X509CertificateLoader.LoadCertificate(download.CertificateDer.ToByteArray());
        var csr = CertificateRequest.LoadSigningRequest(
            Convert.FromBase64String(walked.CsrDer), HashAlgorithmName.SHA256, CertificateRequestLoadOptions.Default);
        Assert.Equal(csr.PublicKey.ExportSubjectPublicKeyInfo(), certificate.PublicKey.ExportSubjectPublicKeyInfo());
        Assert.Contains(WorkflowScenario.FirmUbn, certificate.Subject);
    }

    /// <summary>The last line a contract test prints.</summary>
    private sealed record WalkResult(
        [property: JsonPropertyName("application_id")] string ApplicationId,
        [property: JsonPropertyName("serial_hex")] string SerialHex,
        [property: JsonPropertyName("csr_der")] string CsrDer);
}
