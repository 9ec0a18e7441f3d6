using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Customs.Ra.V1;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using RaBench.Load;
using Ra.Client.Signing;
using RaServer.Trust;

namespace RaBench.Scenarios;

/// <summary>
/// T5: VerifySignedMessage through gRPC, from the load process as a government system (mTLS, verifier role), 32 in
/// flight over 4 connections. The signer is an organisation certificate with an RSA-2048 key that the RA itself issued
/// (SubmitCsr → embedded CA) and registered for the firm, so every answer is a full VALID verdict with its evidence.
/// Baseline: GetRaInfo on the same server in the same run.
/// </summary>
public static class VerifyMessageScenario
{
    public static async Task RunAsync(BenchEnvironment env)
    {
        Report.Heading("verify-message", "T5: VerifySignedMessage with an RSA-2048 signer ≥ 5,000/s, 32 in flight");
        await Workload.LoadCompanyAsync(env);
        var signerFile = await IssueRsaSignerAsync(env);
        var verdict = await ProbeAsync(env, signerFile);
        Report.Note($"the signer's verdict before the load: {verdict}");

        LoadJob Job(string workload) => new()
        {
            Workload = workload, ServerAddress = env.Address.ToString(), PkiFolder = env.Pki.Folder, InFlight = 32, Connections = 4,
            Args = { ["signer-p12"] = signerFile, ["firm"] = Workload.FirmUbn, ["verdict"] = verdict.ToString() },
        };
        var empty = await LoadProcess.RunAsync(Job("ra-info"), env.Meter);
        Report.Line(empty);
        var verify = await LoadProcess.RunAsync(Job("verify-message"), env.Meter);
        Report.Line(verify);
        Report.Ratio("T5 VerifySignedMessage / GetRaInfo", verify, empty, "≥ 5,000/s");
    }

    private static async Task<string> IssueRsaSignerAsync(BenchEnvironment env)
    {
        var (ids, _) = await AwaitingKey.PrepareAsync(env, 1);
        var id = ids[0].ToString("D");
        using var company = env.CompanyCertificate();
        var signer = new RequestSigner(company);
        using var key = RSA.Create(2048);
        var csr = new CertificateRequest("CN=bench signer", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSigningRequest();
        using var channel = env.Channel();
        var ra = new RegistrationAuthority.RegistrationAuthorityClient(channel);
        await ra.SubmitCsrAsync(new SubmitCsrRequest
        {
            Envelope = signer.Sign(new SubmitCsrPayload
            {
                Header = RequestSigner.OrganizationHeader(Workload.FirmUbn, Workload.FirmName), ApplicationId = id, CsrDer = ByteString.CopyFrom(csr),
            }),
        });
        await WaitUntilCompletedAsync(env, ids[0]);
        var download = await ra.DownloadCertificateAsync(new DownloadCertificateRequest
        {
            Envelope = signer.Sign(new DownloadCertificatePayload { Header = RequestSigner.OrganizationHeader(Workload.FirmUbn, Workload.FirmName), ApplicationId = id }),
        });
        using var certificate = X509CertificateLoader.LoadCertificate(download.CertificateDer.ToByteArray());
        await ra.RegisterCertificateAsync(new RegisterCertificateRequest
        {
            Envelope = signer.Sign(new RegisterCertificatePayload
            {
                Header = RequestSigner.OrganizationHeader(Workload.FirmUbn, Workload.FirmName), SerialHex = certificate.SerialNumber, FirmUbn = Workload.FirmUbn,
            }),
        });
        await env.Services.GetRequiredService<CustomsCaCrlKeeper>().RefreshAsync(CancellationToken.None);
        using var withKey = certificate.CopyWithPrivateKey(key);
        var file = Path.Combine(env.Folder, "rsa-signer.p12");
        await File.WriteAllBytesAsync(file, withKey.Export(X509ContentType.Pkcs12));
        return file;
    }

    /// <summary>The server's own CA workers issue it; a call of the dispatcher here would race them for the row.</summary>
    private static async Task WaitUntilCompletedAsync(BenchEnvironment env, Guid id)
    {
        await using var connection = new Npgsql.NpgsqlConnection(env.ConnectionString);
        await connection.OpenAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            await using var command = new Npgsql.NpgsqlCommand("SELECT state FROM applications WHERE id = @id", connection);
            command.Parameters.AddWithValue("id", id);
            var state = (string?)await command.ExecuteScalarAsync(limit.Token);
            if (state == "COMPLETED")
                return;
            if (state != "FORWARDED")
                throw new InvalidOperationException($"the RSA signer's application ended {state}");
            await Task.Delay(50, limit.Token);
        }
    }

    private static async Task<VerificationVerdict> ProbeAsync(BenchEnvironment env, string signerFile)
    {
        using var signer = X509CertificateLoader.LoadPkcs12FromFile(signerFile, null, X509KeyStorageFlags.EphemeralKeySet);
        var message = "報單 AA/15/123/4567 probe"u8.ToArray();
        using var channel = env.Channel("verifier");
        var answer = await new Verification.VerificationClient(channel).VerifySignedMessageAsync(new VerifySignedMessageRequest
        {
            Message = ByteString.CopyFrom(message), CmsSignature = ByteString.CopyFrom(DetachedCmsSigner.Sign(message, signer, DateTimeOffset.UtcNow)),
            FirmUbn = Workload.FirmUbn,
        });
        return answer.Verdict;
    }
}
