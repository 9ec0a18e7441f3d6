using System.Security.Cryptography.Pkcs;
using Customs.Ra.V1;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.X509;
using Ra.Client.Signing;
using RaServer.Domain;
using RaServer.Hosting;
using RaServer.Policy;
using RaServer.Storage;
using RaServer.Trust;

namespace RaBench.Scenarios;

/// <summary>
/// The signed-request check in process: SignedRequestVerifier.Verify (the server's own singleton, so its signer cache
/// and CRLs are the real ones) over one real CMS by the dev company's RSA-2048 certificate, against .NET's
/// SignedCms decode + CheckSignature on the same bytes. A few hundred BouncyCastle verifications show the cost
/// docs/PERFORMANCE.md warns about (a fresh RSA key parse per message).
/// </summary>
public static class VerifyScenario
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(3);
    private const int BouncyCastleIterations = 200;

    public static void Run(BenchEnvironment env)
    {
        Report.Heading("verify", "signed-request check in process, RSA-2048 signer (T5 is ≥ 5,000/s through gRPC)");
        using var company = env.CompanyCertificate();
        var payload = new GetApplicationPayload
        {
            Header = RequestSigner.OrganizationHeader(Workload.FirmUbn, Workload.FirmName),
            ApplicationId = Guid.NewGuid().ToString("D"),
        }.ToByteArray();
        var cms = DetachedCmsSigner.Sign(payload, company, DateTimeOffset.UtcNow);
        var verifier = env.Services.GetRequiredService<SignedRequestVerifier>();

        void Ours() => verifier.Verify(payload, cms);
        void DotNet()
        {
            var signed = new SignedCms(new ContentInfo(payload), detached: true);
            signed.Decode(cms);
            signed.CheckSignature(verifySignatureOnly: true);
        }

        Ours(); // fills the signer cache: the loop measures the repeated-signer path
        DotNet();
        foreach (var threads in new[] { 1, 2, 4 })
        {
            var ours = LoadRunner.RunThreads("SignedRequestVerifier.Verify", threads, Duration, long.MaxValue, Ours);
            var baseline = LoadRunner.RunThreads("SignedCms.Decode+CheckSignature (baseline)", threads, Duration, long.MaxValue, DotNet);
            Report.Line(ours);
            Report.Line(baseline);
            Report.Ratio($"verifier / SignedCms at {threads} thread(s)", ours, baseline);
        }

        var bouncy = LoadRunner.RunThreads("BouncyCastle CmsSignedData verify", 1, TimeSpan.FromSeconds(10), BouncyCastleIterations, () =>
        {
            var signed = new CmsSignedData(new CmsProcessableByteArray(payload), cms);
            foreach (SignerInformation signer in signed.GetSignerInfos().GetSigners())
            {
                var certificate = (X509Certificate)signed.GetCertificates().EnumerateMatches(signer.SignerID).First();
                if (!signer.Verify(certificate))
                    throw new InvalidOperationException("BouncyCastle says the signature does not verify");
            }
        });
        var ours1 = LoadRunner.RunThreads("SignedRequestVerifier.Verify", 1, Duration, long.MaxValue, Ours);
        Report.Line(bouncy);
        Report.Line(ours1);
        Report.Ratio("verifier / BouncyCastle at 1 thread", ours1, bouncy);
        Report.Note($"Org.BouncyCastle.Rsa.MaxMRTests = {Environment.GetEnvironmentVariable("Org.BouncyCastle.Rsa.MaxMRTests") ?? "(unset: full Miller-Rabin per key parse)"}");
    }
}
