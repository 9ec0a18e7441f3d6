using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cmp;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Cmp;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace RaBench.Load;

/// <summary>
/// What a Lightweight CMP client (RFC 9483) does around a p10cr, for the T7 load: protected requests signed by its
/// pinned certificate (senderKID = its subject key identifier, the certificate in extraCerts), and every answer
/// checked before it counts: the CMP signer's signature, the transactionID, recipNonce = our senderNonce.
/// </summary>
public sealed class CmpClientMessages
{
    public const int NonceLength = 16;
    private static readonly BcBigInteger P10CertReqId = BcBigInteger.ValueOf(-1);

    private readonly ECDsa _clientKey;
    private readonly EcdsaSignatureFactory _signer;
    private readonly BcCertificate _clientCertificate;
    private readonly byte[] _senderKid;
    private readonly GeneralName _sender;
    private readonly GeneralName _recipient;
    private readonly ECDsa _cmpSignerKey;

    public CmpClientMessages(X509Certificate2 client, X509Certificate2 cmpSigner)
    {
        _clientKey = client.GetECDsaPrivateKey() ?? throw new ArgumentException("the bench CMP client has a P-256 key", nameof(client));
        _signer = new EcdsaSignatureFactory(_clientKey);
        _clientCertificate = new BcCertificate(client.RawData);
        _senderKid = client.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifierBytes.ToArray();
        _sender = new GeneralName(X509Name.GetInstance(client.SubjectName.RawData));
        _recipient = new GeneralName(X509Name.GetInstance(cmpSigner.SubjectName.RawData));
        _cmpSignerKey = cmpSigner.GetECDsaPublicKey() ?? throw new ArgumentException("the embedded CA of T7 has a P-256 key", nameof(cmpSigner));
    }

    /// <summary>A p10cr opening a new transaction; with <paramref name="implicitConfirm"/> it asks to skip certConf.</summary>
    public byte[] P10cr(byte[] csrDer, byte[] transactionId, byte[] senderNonce, bool implicitConfirm)
    {
        var builder = Builder(transactionId, senderNonce, recipNonce: null)
            .SetBody(new PkiBody(PkiBody.TYPE_P10_CERT_REQ, CertificationRequest.GetInstance(Asn1Object.FromByteArray(csrDer))));
        if (implicitConfirm)
            builder.AddGeneralInfo(new InfoTypeAndValue(CmpObjectIdentifiers.it_implicitConfirm, DerNull.Instance));
        return Protect(builder);
    }

    /// <summary>certConf accepting <paramref name="certificate"/> (RFC 4210 5.3.18), in the answer's transaction.</summary>
    public byte[] CertConf(X509CertificateStructure certificate, byte[] transactionId, byte[] senderNonce, byte[] recipNonce)
    {
        var content = new CertificateConfirmationContentBuilder()
            .AddAcceptedCertificate(new BcCertificate(certificate), P10CertReqId)
            .Build()
            .ToAsn1Structure();
        return Protect(Builder(transactionId, senderNonce, recipNonce).SetBody(new PkiBody(PkiBody.TYPE_CERT_CONFIRM, content)));
    }

    /// <summary>The answer, once its protection and header check out; throws otherwise.</summary>
    public PkiMessage Check(byte[] answerDer, byte[] transactionId, byte[] senderNonce, int expectedBody)
    {
        var answer = PkiMessage.GetInstance(Asn1Object.FromByteArray(answerDer));
        var header = answer.Header;
        if (answer.Protection is null || header.ProtectionAlg?.Algorithm.Id != "1.2.840.10045.4.3.2")
            throw new InvalidOperationException("the answer is not protected with ecdsa-with-SHA256");
        var signed = new DerSequence(header, answer.Body).GetEncoded(Asn1Encodable.Der);
        if (!_cmpSignerKey.VerifyData(signed, answer.Protection.GetOctets(), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence))
            throw new InvalidOperationException("the answer's protection does not verify against the CMP signer");
        if (header.TransactionID is null || !header.TransactionID.GetOctets().AsSpan().SequenceEqual(transactionId))
            throw new InvalidOperationException("the answer carries another transactionID");
        if (header.RecipNonce is null || !header.RecipNonce.GetOctets().AsSpan().SequenceEqual(senderNonce))
            throw new InvalidOperationException("the answer's recipNonce is not our senderNonce");
        if (header.SenderNonce is null)
            throw new InvalidOperationException("the answer has no senderNonce");
        if (answer.Body.Type != expectedBody)
            throw new InvalidOperationException($"expected CMP body {expectedBody}, got {answer.Body.Type}{ErrorText(answer.Body)}");
        return answer;
    }

    /// <summary>The certificate of a granted cp; throws for a rejection.</summary>
    public static X509CertificateStructure CertificateOf(PkiMessage cp)
    {
        var response = CertRepMessage.GetInstance(cp.Body.Content).GetResponse().Single();
        if (response.Status.Status.IntValueExact is not (0 or 1))
            throw new InvalidOperationException($"the p10cr was not granted: {response.Status.StatusString?[0]?.GetString()}");
        return response.CertifiedKeyPair?.CertOrEncCert?.Certificate?.X509v3PKCert
            ?? throw new InvalidOperationException("the cp carries no certificate");
    }

    public static bool ConfirmsImplicitly(PkiMessage answer) =>
        answer.Header.GetGeneralInfo()?.Any(info => info.InfoType.Equals(CmpObjectIdentifiers.it_implicitConfirm)) == true;

    private ProtectedPkiMessageBuilder Builder(byte[] transactionId, byte[] senderNonce, byte[]? recipNonce)
    {
        var builder = new ProtectedPkiMessageBuilder(_sender, _recipient)
            .SetTransactionId(transactionId)
            .SetSenderNonce(senderNonce)
            .SetMessageTime(new Asn1GeneralizedTime(DateTime.UtcNow))
            .SetSenderKID(_senderKid);
        if (recipNonce is not null)
            builder.SetRecipNonce(recipNonce);
        return builder;
    }

    private byte[] Protect(ProtectedPkiMessageBuilder builder) =>
        builder.AddCmpCertificate(_clientCertificate).Build(_signer).ToAsn1Message().GetEncoded(Asn1Encodable.Der);

    private static string ErrorText(PkiBody body) =>
        body.Type == PkiBody.TYPE_ERROR ? $" ({ErrorMsgContent.GetInstance(body.Content).PkiStatusInfo.StatusString?[0]?.GetString()})" : "";
}
