using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EmbeddedCa;

namespace CaConnector.Tests.EmbeddedCa;

/// <summary>The one check of a CSR the CA makes itself: it is a request, and its self-signature verifies.</summary>
public class CsrProofTests
{
    [Fact]
    public void A_proven_csr_gives_its_own_key_and_subject_for_the_raw_cmp_path()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CertificateRequest("CN=Applicant, O=Somewhere", key, HashAlgorithmName.SHA256).CreateSigningRequest();

        var proof = CsrProof.Verify(csr);

        Assert.Equal("CN=Applicant, O=Somewhere", proof.Subject.Name);
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), proof.PublicKey.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public void A_csr_whose_self_signature_was_tampered_with_is_refused_as_bad_pop()
    {
        var csr = Fixtures.MockPki.NewCsr();
        csr[^3] ^= 0x01; // inside the signature value at the end of the DER

        Assert.Equal(CmpFailureInfo.BadPop, Assert.Throws<CaRefusedException>(() => CsrProof.Verify(csr)).FailureInfo);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x04, 0x02, 0xDE, 0xAD })]
    public void Bytes_that_are_not_a_pkcs10_request_are_refused_as_bad_data_format(byte[] der)
    {
        Assert.Equal(CmpFailureInfo.BadDataFormat, Assert.Throws<CaRefusedException>(() => CsrProof.Verify(der)).FailureInfo);
    }

    [Fact]
    public void Trailing_bytes_after_the_request_are_refused_as_bad_data_format()
    {
        var csr = Fixtures.MockPki.NewCsr().Concat(new byte[] { 0 }).ToArray();

        Assert.Equal(CmpFailureInfo.BadDataFormat, Assert.Throws<CaRefusedException>(() => CsrProof.Verify(csr)).FailureInfo);
    }
}
