using System.Security.Cryptography.X509Certificates;
using Customs.Ra.V1;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Ra.Client.Signing;
using RaServer.Tests.DevPkiTests;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;
using RaServer.Tests.Identity;
using RaServer.Trust;

namespace RaServer.Tests.Integration;

/// <summary>
/// VerifySignedMessage with a signature damaged at hundreds of places, through the public API: every answer is a
/// verdict (SIGNATURE_INVALID, or what the intact parts justify) or INVALID_ARGUMENT with a declared reason, never
/// INTERNAL or UNKNOWN; a verdict that trusts the signature is one <c>openssl cms -verify</c> agrees with; and a CMS
/// whose embedded certificate is not DER never passes as a good signature.
/// </summary>
/// <remarks>
/// Every mutation whose verdict trusts the signature (a third of them or more) is checked with openssl: with its
/// libcrypto in process (<see cref="LibCryptoCms"/>), as a process per mutation cost most of this class's CPU, and on
/// a sample with the command itself, which must agree.
/// </remarks>
public sealed class MutatedMessageSignatureTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private static readonly byte[] Declaration = "報單 AA/15/123/4567 — customs declaration"u8.ToArray();
    private RaServerHarness server = null!;
    private Verification.VerificationClient verifier = null!;
    private X509Certificate2 broker = null!;

    public async Task InitializeAsync()
    {
        server = await RaServerHarness.StartAsync(postgres);
        var scenario = new WorkflowScenario(server);
        await scenario.LoadRegistryAsync();
        verifier = new Verification.VerificationClient(server.Channel(RaServerHarness.Client("verifier")));
        broker = await scenario.IssueAsync(CertificateKind.Personal);
        await server.Services.GetRequiredService<CustomsCaCrlKeeper>().RefreshAsync(CancellationToken.None);
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task A_damaged_signature_is_a_verdict_or_a_declared_refusal_and_never_an_internal_error()
    {
        var intact = DetachedCmsSigner.Sign(Declaration, broker, server.Clock.GetUtcNow());
        // Issued and not registered for the firm: the verdict the intact signature earns.
        Assert.Equal(VerificationVerdict.NotRegistered, (await VerifyAsync(intact)).Verdict);

        using var folder = new TempFolder();
        var content = folder.File("message");
        await File.WriteAllBytesAsync(content, Declaration);
        var mutations = CmsMutations.ChangedBytes(intact, 300).Concat(CmsMutations.Truncations(intact, 60)).ToList();
        var wrong = new List<string>();
        var verdicts = new Dictionary<string, int>();
        var askedOpenSsl = new List<(string What, byte[] Cms, bool Verifies)>();
        foreach (var (what, cms) in mutations)
        {
            try
            {
                var verdict = (await VerifyAsync(cms)).Verdict;
                verdicts[verdict.ToString()] = verdicts.GetValueOrDefault(verdict.ToString()) + 1;
                if (verdict == VerificationVerdict.SignatureInvalid)
                    continue;
                var verifies = LibCryptoCms.Verifies(cms, Declaration);
                askedOpenSsl.Add((what, cms, verifies));
                if (!verifies)
                    wrong.Add($"{what}: {verdict}, but openssl cms -verify rejects the signature");
            }
            catch (RpcException e)
            {
                var reason = RpcAssert.ReasonOf(e);
                if (e.StatusCode != StatusCode.InvalidArgument || reason is null || LibraryText.Find(e.Status.Detail) is not null)
                    wrong.Add($"{what}: {e.StatusCode} {reason} {e.Status.Detail}");
            }
        }
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {mutations.Count} mishandled:\n" + string.Join("\n", wrong.Take(30)));
        // The in-process check answers as the command does: the intact signature and a spread of the mutations asked.
        Assert.True(LibCryptoCms.Verifies(intact, Declaration) && OpenSslVerifies(folder, content, intact));
        byte[] lastByteFlipped = [.. intact[..^1], (byte)(intact[^1] ^ 0x01)]; // the signature value ends the CMS
        Assert.False(LibCryptoCms.Verifies(lastByteFlipped, Declaration) || OpenSslVerifies(folder, content, lastByteFlipped));
        var sample = askedOpenSsl.Where((_, i) => i % Math.Max(1, askedOpenSsl.Count / 12) == 0).ToList();
        Assert.All(sample, asked => Assert.True(asked.Verifies == OpenSslVerifies(folder, content, asked.Cms), asked.What));
        // Most damage breaks the signature; the test would prove little if the server answered something else for all.
        Assert.True(verdicts.GetValueOrDefault(nameof(VerificationVerdict.SignatureInvalid)) > mutations.Count / 2,
            string.Join(", ", verdicts.Select(v => $"{v.Key}={v.Value}")));
    }

    [Fact]
    public async Task A_signature_whose_certificate_is_not_der_is_signature_invalid_even_where_openssl_is_lenient()
    {
        var intact = DetachedCmsSigner.Sign(Declaration, broker, server.Clock.GetUtcNow());
        using var folder = new TempFolder();
        var content = folder.File("message");
        await File.WriteAllBytesAsync(content, Declaration);
        Assert.True(OpenSslVerifies(folder, content, CmsMutations.WithCertificate(intact, broker.RawData)));

        foreach (var (what, certificate, openSslRefuses) in CmsMutations.NonDerCertificates(broker.RawData))
        {
            var cms = CmsMutations.WithCertificate(intact, certificate);
            Assert.True(VerificationVerdict.SignatureInvalid == (await VerifyAsync(cms)).Verdict, what);
            // Where openssl reads the certificate as DER wants it read, it agrees; where it is lenient (BER), the RA is stricter.
            Assert.True(OpenSslVerifies(folder, content, cms) != openSslRefuses, $"openssl on a certificate with {what}");
            Assert.True(LibCryptoCms.Verifies(cms, Declaration) != openSslRefuses, $"libcrypto on a certificate with {what}");
        }
    }

    private Task<VerifySignedMessageResponse> VerifyAsync(byte[] cms) =>
        verifier.VerifySignedMessageAsync(new VerifySignedMessageRequest
        {
            Message = ByteString.CopyFrom(Declaration), CmsSignature = ByteString.CopyFrom(cms), FirmUbn = WorkflowScenario.FirmUbn,
        }).ResponseAsync;

    /// <summary>Whether openssl finds the signature good over the message; the chain is the RA's business (-noverify).</summary>
    private static bool OpenSslVerifies(TempFolder folder, string content, byte[] cms)
    {
        var path = folder.File("signature.der");
        File.WriteAllBytes(path, cms);
        return OpenSsl.Run("cms", "-verify", "-noverify", "-binary", "-inform", "DER", "-in", path,
            "-content", content, "-out", folder.File("out")).ExitCode == 0;
    }
}
