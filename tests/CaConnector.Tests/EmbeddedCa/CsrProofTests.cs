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

    [Fact]
    public void A_csr_with_requested_extensions_and_one_with_an_rsa_key_are_proven_as_well()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var withExtensions = new CertificateRequest("CN=Applicant", ec, HashAlgorithmName.SHA256);
        withExtensions.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        using var rsa = RSA.Create(2048);
        var rsaRequest = new CertificateRequest("CN=Applicant", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        Assert.Equal(ec.ExportSubjectPublicKeyInfo(), CsrProof.Verify(withExtensions.CreateSigningRequest()).PublicKey.ExportSubjectPublicKeyInfo());
        Assert.Equal(rsa.ExportSubjectPublicKeyInfo(), CsrProof.Verify(rsaRequest.CreateSigningRequest()).PublicKey.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public void A_csr_signed_by_another_key_than_the_one_it_carries_is_refused_as_bad_pop()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Applicant", key, HashAlgorithmName.SHA256);
        // The request carries key's public key but other's signature: a proof of possession of the wrong key.
        var forged = request.CreateSigningRequest(X509SignatureGenerator.CreateForECDsa(other));

        Assert.Equal(CmpFailureInfo.BadPop, Assert.Throws<CaRefusedException>(() => CsrProof.Verify(forged)).FailureInfo);
    }
}
