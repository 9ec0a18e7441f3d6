using RaServer.Policy;

namespace RaServer.Tests.Policy;

/// <summary>The RA's key policy, applied once when the applicant submits the CSR.</summary>
public class CsrPolicyTests
{
    public static TheoryData<string, string?> Keys => new()
    {
        { "rsa-1024", CsrReasons.KeyTooWeak },
        { "rsa-2048", null },
        { "rsa-3072", null },
        { "p-224", CsrReasons.KeyTooWeak },
        { "p-256", null },
        { "p-384", null },
        { "p-521", CsrReasons.KeyUnsupported },
    };

    [Theory]
    [MemberData(nameof(Keys))]
    public void A_csr_is_judged_by_its_key_type_and_size(string key, string? expectedReason)
    {
        var check = CsrPolicy.Check(Csrs.Make(key));

        Assert.Equal(expectedReason, check.ReasonCode);
        Assert.Equal(expectedReason is null, check.IsAccepted);
    }

    [Theory]
    [InlineData("p-256")]
    [InlineData("rsa-2048")]
    public void Every_damaged_byte_of_a_csr_is_refused_in_the_ras_words_never_a_librarys(string key)
    {
        var csr = Csrs.Make(key);
        // Each byte flipped and each truncation: parser, key and signature failures all get the RA's fixed texts.
        var damaged = Enumerable.Range(0, csr.Length).Select(i => { var copy = csr.ToArray(); copy[i] ^= 0x5A; return copy; })
            .Concat(Enumerable.Range(1, csr.Length - 1).Select(n => csr[..n]));
        foreach (var bytes in damaged)
        {
            var check = CsrPolicy.Check(bytes);
            if (check.IsAccepted)
                continue;
            Assert.Null(LibraryTextIn(check.Detail));
        }
    }

    // The library markers (Harness/LibraryText) without "curve": the RA's own texts name curves.
    private static string? LibraryTextIn(string? message) =>
        new[] { "ASN1", "corrupted", "Int32", "error:", "routines", "Exception", "not on", "unexpected end", "encoded" }
            .FirstOrDefault(m => message?.Contains(m, StringComparison.OrdinalIgnoreCase) == true);

    [Fact]
    public void A_csr_whose_signature_was_tampered_with_is_refused_as_invalid_signature()
    {
        var csr = Csrs.Make("p-256");
        csr[^3] ^= 0x01; // inside the signature value at the end of the DER

        var check = CsrPolicy.Check(csr);

        Assert.Equal(CsrReasons.SignatureInvalid, check.ReasonCode);
    }

    [Fact]
    public void A_csr_whose_subject_was_changed_after_signing_is_refused_as_invalid_signature()
    {
        var csr = Csrs.Make("rsa-2048", "CN=AAAA");
        var at = csr.AsSpan().IndexOf("AAAA"u8);
        csr[at] = (byte)'B';

        Assert.Equal(CsrReasons.SignatureInvalid, CsrPolicy.Check(csr).ReasonCode);
    }

    [Fact]
    public void A_weak_key_is_named_as_weak_even_when_the_signature_is_also_broken()
    {
        var csr = Csrs.Make("rsa-1024");
        csr[^3] ^= 0x01;

        Assert.Equal(CsrReasons.KeyTooWeak, CsrPolicy.Check(csr).ReasonCode);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x30, 0x03, 0x02, 0x01, 0x00 })]
    [InlineData(new byte[] { 0x04, 0x02, 0xDE, 0xAD })]
    public void Bytes_that_are_not_a_pkcs10_request_are_refused_as_malformed(byte[] der)
    {
        Assert.Equal(CsrReasons.Malformed, CsrPolicy.Check(der).ReasonCode);
    }

    [Fact]
    public void Trailing_bytes_after_the_request_are_refused_as_malformed()
    {
        var csr = Csrs.Make("p-256").Concat(new byte[] { 0 }).ToArray();

        Assert.Equal(CsrReasons.Malformed, CsrPolicy.Check(csr).ReasonCode);
    }

    [Fact]
    public void A_dsa_key_is_refused_as_unsupported()
    {
        var csr = Csrs.FromOpenSsl("dsa");

        Assert.Equal(CsrReasons.KeyUnsupported, CsrPolicy.Check(csr).ReasonCode);
    }

    [Fact]
    public void An_ed25519_key_is_refused_as_unsupported()
    {
        Assert.Equal(CsrReasons.KeyUnsupported, CsrPolicy.Check(Csrs.FromOpenSsl("ed25519")).ReasonCode);
    }
}
