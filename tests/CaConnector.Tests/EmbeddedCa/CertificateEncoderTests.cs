using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EmbeddedCa;

namespace CaConnector.Tests.EmbeddedCa;

/// <summary>
/// The CA's own certificate encoder against .NET's CertificateRequest.Create, which the signer used before: the same
/// bytes for the same inputs (an RSA issuer, whose PKCS#1 v1.5 signatures are deterministic, so the whole certificate
/// compares; an ECDSA issuer, whose signatures are not, so the to-be-signed part compares and the signature verifies).
/// </summary>
public sealed class CertificateEncoderTests
{
    private static readonly CaLinks Links = CaLinks.Under(new Uri("http://127.0.0.1:8088"));
    private static readonly CertificateProfile Profile = CertificateProfile.Organization("測試報關股份有限公司", "04595252");

    [Theory]
    [InlineData(2027)]
    [InlineData(2051)] // GeneralizedTime from 2050 on
    public void An_rsa_issued_certificate_is_byte_for_byte_what_certificate_request_makes(int notAfterYear)
    {
        using var issuerKey = RSA.Create(2048);
        using var subjectKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (ours, theirs) = Both(X509SignatureGenerator.CreateForRSA(issuerKey, RSASignaturePadding.Pkcs1), subjectKey, notAfterYear);

        Assert.Equal(theirs, ours);
    }

    [Fact]
    public void An_ecdsa_issued_certificate_has_certificate_requests_content_and_a_signature_that_verifies()
    {
        using var issuerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var subjectKey = RSA.Create(2048);
        var (ours, theirs) = Both(X509SignatureGenerator.CreateForECDsa(issuerKey), subjectKey, 2030);

        Assert.Equal(TbsOf(theirs), TbsOf(ours));
        using var certificate = X509CertificateLoader.LoadCertificate(ours);
        Assert.True(issuerKey.VerifyData(TbsOf(ours), SignatureOf(ours), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        // The signer reports X500DistinguishedName.Name as the subject without loading the certificate: the same text.
        Assert.Equal(Profile.Subject.Name, certificate.Subject);
    }

    private static (byte[] Ours, byte[] Theirs) Both(X509SignatureGenerator generator, AsymmetricAlgorithm subjectKey, int notAfterYear)
    {
        var issuer = new X500DistinguishedName("C=TW, O=RaBackend Tests, CN=Test Issuing");
        var profile = Profile;
        var publicKey = subjectKey switch
        {
            ECDsa ec => new CertificateRequest("CN=x", ec, HashAlgorithmName.SHA256).PublicKey,
            RSA rsa => new CertificateRequest("CN=x", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).PublicKey,
            _ => throw new NotSupportedException(),
        };
        using var issuingKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var issuerKeyId = new X509SubjectKeyIdentifierExtension(new CertificateRequest("CN=issuer", issuingKey, HashAlgorithmName.SHA256).PublicKey, critical: false);
        var extensions = CertificateExtensions.For(profile, publicKey, issuerKeyId, Links);
        var notBefore = new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);
        var notAfter = new DateTimeOffset(notAfterYear, 6, 1, 12, 30, 15, TimeSpan.Zero);
        var serial = SerialNumbers.NewSerial();

        var ours = CertificateEncoder.Encode(issuer, profile.Subject, publicKey, serial, notBefore, notAfter, extensions, generator);
        var request = new CertificateRequest(profile.Subject, publicKey, HashAlgorithmName.SHA256);
        foreach (var extension in extensions)
            request.CertificateExtensions.Add(extension);
        using var theirs = request.Create(issuer, generator, notBefore, notAfter, serial);
        return (ours, theirs.RawData);
    }

    private static byte[] TbsOf(byte[] certificate)
    {
        var reader = new AsnReader(certificate, AsnEncodingRules.DER).ReadSequence();
        return reader.ReadEncodedValue().ToArray();
    }

    private static byte[] SignatureOf(byte[] certificate)
    {
        var reader = new AsnReader(certificate, AsnEncodingRules.DER).ReadSequence();
        reader.ReadEncodedValue();
        reader.ReadEncodedValue();
        return reader.ReadBitString(out _);
    }
}
