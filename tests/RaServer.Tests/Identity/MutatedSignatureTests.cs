using System.Security.Cryptography.X509Certificates;
using Ra.DevPki;
using RaServer.Domain;
using RaServer.Tests.Harness;

namespace RaServer.Tests.Identity;

/// <summary>
/// A signed envelope whose CMS was damaged in transit or on purpose: every damaged copy is refused with a declared
/// reason and a fixed message (never an exception the error mapping would answer INTERNAL, never a parser's or
/// OpenSSL's text), and one that is not DER is refused even where the signature itself would still verify.
/// </summary>
public sealed class MutatedSignatureTests : IDisposable
{
    private readonly SigningPki _pki = new();

    public void Dispose() => _pki.Dispose();

    public static TheoryData<string> SignerKeys => new() { nameof(KeyAlgorithm.Rsa2048), nameof(KeyAlgorithm.EcdsaP256) };

    [Theory]
    [MemberData(nameof(SignerKeys))]
    public void Every_changed_byte_and_truncation_of_an_envelopes_cms_is_refused_with_a_declared_reason(string key)
    {
        using var company = _pki.Company(s => s with { Key = Enum.Parse<KeyAlgorithm>(key) });
        var intact = _pki.Sign(company);
        var verifier = _pki.Verifier();
        Assert.Equal("04595252", verifier.Verify(SigningPki.Payload, intact).Ubn);

        var mutations = CmsMutations.ChangedBytes(intact, 600).Concat(CmsMutations.Truncations(intact, 100)).ToList();
        var wrong = mutations
            .Select(m => (m.What, Problem: Outcome(verifier, m.Cms)))
            .Where(m => m.Problem is not null)
            .GroupBy(m => m.Problem, m => m.What)
            .Select(g => $"{g.Count()}x {g.Key} (e.g. {g.First()})")
            .ToList();
        Assert.True(wrong.Count == 0, $"of {mutations.Count} damaged signatures, some were mishandled:\n" + string.Join("\n", wrong));
    }

    [Fact]
    public void An_embedded_certificate_that_is_not_der_is_refused_as_cms_malformed()
    {
        using var company = _pki.Company();
        var intact = _pki.Sign(company);
        foreach (var (what, certificate, _) in CmsMutations.NonDerCertificates(company.RawData))
        {
            var cms = CmsMutations.WithCertificate(intact, certificate);
            var refusal = Assert.Throws<RaException>(() => _pki.Verifier().Verify(SigningPki.Payload, cms));
            Assert.True(refusal.Reason == "CMS_MALFORMED", $"{what}: {refusal.Reason} {refusal.Message}");
            Assert.Equal(RaErrorKind.Invalid, refusal.Kind);
            Assert.Equal(["envelope.cms_signature"], refusal.Fields.Select(f => f.Field));
        }
        // The same surgery with the certificate as it was is accepted: the refusals above are about the encoding.
        Assert.Equal("04595252", _pki.Verifier().Verify(SigningPki.Payload, CmsMutations.WithCertificate(intact, company.RawData)).Ubn);
    }

    /// <summary>Null when the verifier handled the damaged CMS as it must; otherwise what went wrong.</summary>
    private static string? Outcome(Trust.SignedRequestVerifier verifier, byte[] cms)
    {
        try
        {
            verifier.Verify(SigningPki.Payload, cms);
            // A change the verifier may ignore (an unsigned field it does not read) leaves a valid signature.
            return null;
        }
        catch (RaException e)
        {
            if (!DeclaredReasons.All.Contains(e.Reason))
                return $"undeclared reason {e.Reason}";
            return LibraryText.Find(e.Message) is { } text ? $"{e.Reason} carries library text \"{text}\": {e.Message}" : null;
        }
        catch (Exception e)
        {
            return $"{e.GetType().Name}: {e.Message}";
        }
    }
}
