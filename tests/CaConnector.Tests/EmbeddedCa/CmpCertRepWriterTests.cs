using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EmbeddedCa;
using EmbeddedCa.Cmp;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cmp;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Cmp;

namespace CaConnector.Tests.EmbeddedCa;

/// <summary>
/// The hand-written granted cp against BouncyCastle's ProtectedPkiMessageBuilder, which the endpoint used before:
/// for the same header fields and certificate, the protected part and the extraCerts are the same bytes, and the
/// protection verifies with the CMP signer's key.
/// </summary>
public sealed class CmpCertRepWriterTests : IDisposable
{
    private static readonly DateTimeOffset MessageTime = new(2026, 12, 3, 9, 15, 0, TimeSpan.Zero);
    private static readonly SealedCaKeySource Keys = new("passphrase", iterations: 1000);
    private readonly CaMaterial _material = CaMaterial.Open(CaMaterial.CreateNew(Settings(), Keys, DateTimeOffset.UtcNow), Keys);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_written_cp_is_the_one_bouncy_castle_builds(bool implicitConfirm)
    {
        var signer = new CmpAnswerSigner(_material);
        var recipient = new GeneralName(new X509Name("C=TW, O=Third Party, CN=CMP Client"));
        var (transactionId, senderNonce, recipNonce) = (RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(16));
        var certificate = _material.Issuing.RawData; // any certificate: the writer copies it in as it is

        var written = PkiMessage.GetInstance(Asn1Object.FromByteArray(CmpCertRepWriter.Granted(signer, recipient.GetEncoded(Asn1Encodable.Der),
            transactionId, senderNonce, recipNonce, MessageTime, implicitConfirm, certificate)));
        var built = BouncyCastleCertRep(signer, recipient, transactionId, senderNonce, recipNonce, implicitConfirm, certificate);

        Assert.Equal(ProtectedPart(built), ProtectedPart(written));
        Assert.Equal(built.GetExtraCerts().Select(c => c.GetEncoded(Asn1Encodable.Der)), written.GetExtraCerts().Select(c => c.GetEncoded(Asn1Encodable.Der)));
        Assert.True(((ECDsa)_material.CmpSigner.GetECDsaPublicKey()!).VerifyData(ProtectedPart(written), written.Protection.GetOctets(),
            HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
    }

    // What CmpServer sent for a granted p10cr before the writer existed.
    private static PkiMessage BouncyCastleCertRep(CmpAnswerSigner signer, GeneralName recipient, byte[] transactionId, byte[] senderNonce,
        byte[] recipNonce, bool implicitConfirm, byte[] certificate)
    {
        var response = new CertResponse(DerInteger.ValueOf(-1), new PkiStatusInfo(0),
            new CertifiedKeyPair(new CertOrEncCert(new CmpCertificate(X509CertificateStructure.GetInstance(certificate)))), null);
        var builder = new ProtectedPkiMessageBuilder(signer.Sender, recipient)
            .SetTransactionId(transactionId)
            .SetSenderNonce(senderNonce)
            .SetMessageTime(new Asn1GeneralizedTime(MessageTime.UtcDateTime))
            .SetBody(new PkiBody(PkiBody.TYPE_CERT_REP, new CertRepMessage(null, [response])))
            .SetRecipNonce(recipNonce)
            .SetSenderKID(signer.KeyId);
        if (implicitConfirm)
            builder.AddGeneralInfo(new InfoTypeAndValue(CmpObjectIdentifiers.it_implicitConfirm, DerNull.Instance));
        foreach (var extra in signer.ExtraCerts)
            builder.AddCmpCertificate(extra);
        return builder.Build(signer.SignatureFactory).ToAsn1Message();
    }

    private static byte[] ProtectedPart(PkiMessage message) => new DerSequence(message.Header, message.Body).GetEncoded(Asn1Encodable.Der);

    private static EmbeddedCaSettings Settings() => new()
    {
        KeyAlgorithm = CaKeyAlgorithm.EcdsaP256,
        Organization = "RaBackend Tests",
        RootCommonName = "Test Root",
        IssuingCommonName = "Test Issuing",
        CmpSignerCommonName = "Test CMP Signer",
        Links = CaLinks.Under(new Uri("http://127.0.0.1:1")),
        RootCertificateUrl = "http://127.0.0.1:1/ca/root.crt",
    };

    public void Dispose() => _material.Dispose();
}
