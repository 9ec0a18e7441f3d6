using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Customs.Ra.V1;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using Ra.Client.Signing;
using RaServer.Domain;
using RaServer.Hosting;
using RaServer.Workers;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;

namespace RaServer.Tests.Integration;

/// <summary>
/// The whole journey through the public gRPC API on one machine: apply, pay, submit the CSR, download a
/// certificate that openssl accepts, suspend, unsuspend, revoke, with the embedded CA's CRL right at each step.
/// </summary>
public sealed class CertificateJourneyTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private RaServerHarness server = null!;
    private WorkflowScenario scenario = null!;
    private string folder = null!;

    public async Task InitializeAsync()
    {
        server = await RaServerHarness.StartAsync(postgres);
        scenario = new WorkflowScenario(server);
        await scenario.LoadRegistryAsync();
        folder = Directory.CreateTempSubdirectory("ra-journey-").FullName;
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    private CaRequestDispatcher Dispatcher => server.Services.GetRequiredService<CaRequestDispatcher>();

    private RequestHeader Header() => RequestSigner.OrganizationHeader(WorkflowScenario.FirmUbn, WorkflowScenario.FirmName);

    [Fact]
    public async Task Apply_pay_submit_a_key_download_suspend_unsuspend_and_revoke_with_the_crl_right_at_each_step()
    {
        // Apply and pay.
        var application = await scenario.SubmitAsync(WorkflowScenario.Content(ServiceType.New, CertificateKind.Personal));
        await scenario.PayAsync(application.PaymentSlip);

        // Generate the key and submit the CSR (its own subject is ignored: the approved application decides).
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CertificateRequest("CN=whatever the applicant wrote", key, HashAlgorithmName.SHA256).CreateSigningRequest();
        var forwarded = await scenario.Applicants.SubmitCsrAsync(new SubmitCsrRequest
        {
            Envelope = server.CompanySigner().Sign(new SubmitCsrPayload { Header = Header(), ApplicationId = application.ApplicationId, CsrDer = ByteString.CopyFrom(csr) }),
        });
        Assert.Equal(ApplicationState.Forwarded, forwarded.Application.State);
        Assert.Equal(1, await Dispatcher.RunOnceAsync(CancellationToken.None));
        var completed = await scenario.GetAsync(application.ApplicationId);
        Assert.Equal(ApplicationState.Completed, completed.State);

        // Download: certificate and chain, accepted by openssl, subject from the application.
        var download = await Download(application.ApplicationId);
        Assert.Equal(completed.IssuedCertificateSerialHex, download.Certificate.SerialHex);
        Assert.Equal(CertificateState.Active, download.Certificate.State);
        using var certificate = X509CertificateLoader.LoadCertificate(download.CertificateDer.ToByteArray());
        Assert.Contains("CN=測試人員", certificate.Subject);
        Assert.Contains("04595252", certificate.Subject);
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), certificate.PublicKey.ExportSubjectPublicKeyInfo());
        var leaf = Write("leaf.pem", certificate.ExportCertificatePem());
        var issuing = Write("issuing.pem", PemOf(download.ChainDer[0]));
        var root = Write("root.pem", PemOf(download.ChainDer[^1]));
        Assert.Equal("OK", await OpenSslAsync("verify", "-CAfile", root, "-untrusted", issuing, leaf));
        Assert.Equal(1, await scenario.MailCountAsync("CERTIFICATE_READY"));

        var serial = download.Certificate.SerialHex;
        Assert.DoesNotContain("Serial Number: " + serial.ToUpperInvariant(), await CrlTextAsync(root, issuing));

        // Suspend: the CRL shows certificateHold.
        await ChangeStatusAsync(ServiceType.Suspend, serial);
        Assert.Equal(CertificateState.Suspended, (await Download(application.ApplicationId)).Certificate.State);
        Assert.Contains("Certificate Hold", EntryOf(serial, await CrlTextAsync(root, issuing)));

        // Unsuspend: the entry is gone.
        await ChangeStatusAsync(ServiceType.Unsuspend, serial);
        Assert.Equal(CertificateState.Active, (await Download(application.ApplicationId)).Certificate.State);
        Assert.DoesNotContain("Serial Number: " + serial.ToUpperInvariant(), await CrlTextAsync(root, issuing));

        // Revoke: keyCompromise on the CRL, and openssl's CRL check now fails the certificate.
        await ChangeStatusAsync(ServiceType.Revoke, serial);
        Assert.Equal(CertificateState.Revoked, (await Download(application.ApplicationId)).Certificate.State);
        Assert.Contains("Key Compromise", EntryOf(serial, await CrlTextAsync(root, issuing)));
        var crl = Write("ca.crl.pem", PemOfCrl(await FetchCrlAsync()));
        var verdict = await OpenSslAsync("verify", "-crl_check", "-CAfile", root, "-untrusted", issuing, "-CRLfile", crl, leaf);
        Assert.Contains("certificate revoked", verdict);
        Assert.Equal(3, await scenario.MailCountAsync("CERTIFICATE_STATUS_CHANGED"));
    }

    [Fact]
    public async Task A_weak_key_is_refused_at_submission_and_the_application_keeps_waiting_for_a_key()
    {
        var application = await scenario.SubmitAsync(WorkflowScenario.Content(ServiceType.New, CertificateKind.Organization));
        await scenario.PayAsync(application.PaymentSlip);
        using var weak = RSA.Create(1024);
        var csr = new CertificateRequest("CN=x", weak, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSigningRequest();

        var e = await RpcAssert.RefusedAsync(Grpc.Core.StatusCode.InvalidArgument, "CSR_KEY_TOO_WEAK", async () =>
            await scenario.Applicants.SubmitCsrAsync(new SubmitCsrRequest
            {
                Envelope = server.CompanySigner().Sign(new SubmitCsrPayload { Header = Header(), ApplicationId = application.ApplicationId, CsrDer = ByteString.CopyFrom(csr) }),
            }));
        Assert.Equal(["csr_der"], RpcAssert.ViolatedFields(e));
        Assert.Equal(ApplicationState.AwaitingKey, (await scenario.GetAsync(application.ApplicationId)).State);
        Assert.Equal(0, await server.CountAsync("ca_requests"));
    }

    [Fact]
    public async Task A_key_before_payment_is_refused()
    {
        var application = await scenario.SubmitAsync(WorkflowScenario.Content(ServiceType.New, CertificateKind.Organization));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CertificateRequest("CN=x", key, HashAlgorithmName.SHA256).CreateSigningRequest();
        await RpcAssert.RefusedAsync(Grpc.Core.StatusCode.FailedPrecondition, "APPLICATION_NOT_AWAITING_KEY", async () =>
            await scenario.Applicants.SubmitCsrAsync(new SubmitCsrRequest
            {
                Envelope = server.CompanySigner().Sign(new SubmitCsrPayload { Header = Header(), ApplicationId = application.ApplicationId, CsrDer = ByteString.CopyFrom(csr) }),
            }));
    }

    [Fact]
    public async Task A_status_change_the_ca_refuses_for_good_ends_the_application_failed_with_the_cas_reason()
    {
        // A certificate the RA has a record of but the CA never issued: the CA answers badCertId.
        var serial = await scenario.SeedCertificateAsync(CertificateKind.Organization);
        var application = await scenario.SubmitAsync(WorkflowScenario.Content(ServiceType.Suspend, CertificateKind.Organization, serial));
        Assert.Equal(1, await Dispatcher.RunOnceAsync(CancellationToken.None));
        var failed = await scenario.GetAsync(application.ApplicationId);
        Assert.Equal(ApplicationState.Failed, failed.State);
        Assert.Contains("BadCertId", failed.FailureDetail);
    }

    private async Task ChangeStatusAsync(ServiceType service, string serial)
    {
        var application = await scenario.SubmitAsync(WorkflowScenario.Content(service, CertificateKind.Personal, serial));
        Assert.Equal(ApplicationState.Forwarded, application.State);
        Assert.Equal(1, await Dispatcher.RunOnceAsync(CancellationToken.None));
        Assert.Equal(ApplicationState.Completed, (await scenario.GetAsync(application.ApplicationId)).State);
    }

    [Fact]
    public async Task A_returned_serial_is_lower_case_hex_and_its_upper_case_spelling_finds_the_same_certificate()
    {
        using var issued = await scenario.IssueAsync(CertificateKind.Personal);
        var returned = (await DownloadBySerial(issued.SerialNumber)).Certificate.SerialHex;
        Assert.Equal(issued.SerialNumber.ToLowerInvariant(), returned);
        Assert.Matches("^[0-9a-f]+$", returned);

        var byUpperCase = await DownloadBySerial(returned.ToUpperInvariant());
        Assert.Equal(returned, byUpperCase.Certificate.SerialHex);
        Assert.Equal(issued.RawData, byUpperCase.CertificateDer.ToByteArray());
    }

    private async Task<DownloadCertificateResponse> DownloadBySerial(string serialHex) =>
        await scenario.Applicants.DownloadCertificateAsync(new DownloadCertificateRequest
        {
            Envelope = server.CompanySigner().Sign(new DownloadCertificatePayload { Header = Header(), SerialHex = serialHex }),
        });

    private async Task<DownloadCertificateResponse> Download(string applicationId) =>
        await scenario.Applicants.DownloadCertificateAsync(new DownloadCertificateRequest
        {
            Envelope = server.CompanySigner().Sign(new DownloadCertificatePayload { Header = Header(), ApplicationId = applicationId }),
        });

    private async Task<byte[]> FetchCrlAsync()
    {
        using var http = new HttpClient();
        return await http.GetByteArrayAsync(new Uri(server.CaAddress!, "/crl/customs-ca.crl"));
    }

    /// <summary>The served CRL as openssl prints it, after openssl verified its signature.</summary>
    private async Task<string> CrlTextAsync(string root, string issuing)
    {
        var crl = Write("current.crl.pem", PemOfCrl(await FetchCrlAsync()));
        var chain = Write("chain.pem", File.ReadAllText(issuing) + File.ReadAllText(root));
        return await OpenSslAsync("crl", "-in", crl, "-CAfile", chain, "-noout", "-text");
    }

    private static string EntryOf(string serial, string crlText)
    {
        var at = crlText.IndexOf("Serial Number: " + serial.ToUpperInvariant(), StringComparison.Ordinal);
        Assert.True(at >= 0, $"serial {serial} is not on the CRL:\n{crlText}");
        var next = crlText.IndexOf("Serial Number:", at + 10, StringComparison.Ordinal);
        return crlText[at..(next < 0 ? crlText.Length : next)];
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string PemOf(ByteString der) => PemEncoding.WriteString("CERTIFICATE", der.Span) + "\n";
    private static string PemOfCrl(byte[] der) => PemEncoding.WriteString("X509 CRL", der) + "\n";

    private static async Task<string> OpenSslAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl", arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output.Trim().EndsWith(": OK", StringComparison.Ordinal) ? "OK" : output;
    }
}
