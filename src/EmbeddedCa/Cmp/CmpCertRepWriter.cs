using System.Formats.Asn1;
using System.Security.Cryptography;
using CaConnector.Cmp;

namespace EmbeddedCa.Cmp;

/// <summary>
/// Writes the one answer the CMP endpoint sends most — a protected cp granting one certificate — straight to DER with
/// <see cref="AsnWriter"/>, the certificate and extraCerts copied in as the bytes they are. Building it through
/// BouncyCastle parsed the new certificate into ASN.1 objects only to encode it again, and encoded the header and
/// body twice (once to sign, once to send): BouncyCastle ASN.1 was the largest share of the endpoint's allocations.
/// The layout is BouncyCastle's own (ProtectedPkiMessageBuilder, pvno cmp2000); tests compare the two byte for byte.
/// </summary>
/// <remarks>RFC 4210's ASN.1 module has EXPLICIT TAGS: every [n] below wraps the whole inner encoding.</remarks>
internal static class CmpCertRepWriter
{
    private const int Cmp2000 = 2;
    private const int CertRepBody = 3;
    private const string ImplicitConfirmOid = "1.3.6.1.5.5.7.4.13";

    /// <param name="recipientDer">The request's sender GeneralName, DER, which the answer is addressed to.</param>
    public static byte[] Granted(CmpAnswerSigner signer, byte[] recipientDer, byte[] transactionId,
        byte[] senderNonce, byte[] recipNonce, DateTimeOffset messageTime, bool implicitConfirm, byte[] certificateDer)
    {
        // Header and body are written twice, into the protected part that is signed and into the message; an
        // AsnWriter cannot splice two encoded values into a sequence, and writing them again is a copy, not a parse.
        void WriteProtectedContent(AsnWriter writer)
        {
            WriteHeader(writer, signer, recipientDer, transactionId, senderNonce, recipNonce, messageTime, implicitConfirm);
            WriteCertRep(writer, certificateDer);
        }

        var capacity = certificateDer.Length + signer.ExtraCertsLength + 1024;
        var protectedPart = new AsnWriter(AsnEncodingRules.DER, initialCapacity: capacity);
        using (protectedPart.PushSequence())
            WriteProtectedContent(protectedPart);
        var signature = signer.Sign(protectedPart.Encode());

        var message = new AsnWriter(AsnEncodingRules.DER, initialCapacity: capacity + signature.Length);
        using (message.PushSequence())
        {
            WriteProtectedContent(message);
            using (message.PushSequence(Tag(0)))
                message.WriteBitString(signature);
            using (message.PushSequence(Tag(1)))
            using (message.PushSequence())
            {
                foreach (var certificate in signer.ExtraCertsDer)
                    message.WriteEncodedValue(certificate);
            }
        }
        return message.Encode();
    }

    private static void WriteHeader(AsnWriter writer, CmpAnswerSigner signer, byte[] recipientDer, byte[] transactionId,
        byte[] senderNonce, byte[] recipNonce, DateTimeOffset messageTime, bool implicitConfirm)
    {
        using var header = writer.PushSequence();
        writer.WriteInteger(Cmp2000);
        writer.WriteEncodedValue(signer.SenderDer);
        writer.WriteEncodedValue(recipientDer);
        using (writer.PushSequence(Tag(0)))
            writer.WriteGeneralizedTime(messageTime, omitFractionalSeconds: true);
        using (writer.PushSequence(Tag(1)))
            writer.WriteEncodedValue(signer.AlgorithmIdentifierDer);
        if (signer.KeyId is { } kid)
            using (writer.PushSequence(Tag(2)))
                writer.WriteOctetString(kid);
        using (writer.PushSequence(Tag(4)))
            writer.WriteOctetString(transactionId);
        using (writer.PushSequence(Tag(5)))
            writer.WriteOctetString(senderNonce);
        using (writer.PushSequence(Tag(6)))
            writer.WriteOctetString(recipNonce);
        if (implicitConfirm)
        {
            using (writer.PushSequence(Tag(8)))
            using (writer.PushSequence())
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(ImplicitConfirmOid);
                writer.WriteNull();
            }
        }
    }

    // body cp: [3] CertRepMessage { response { CertResponse { certReqId -1, status { granted }, CertifiedKeyPair { [0] certificate } } } }
    private static void WriteCertRep(AsnWriter writer, ReadOnlySpan<byte> certificateDer)
    {
        using (writer.PushSequence(Tag(CertRepBody)))
        using (writer.PushSequence())
        using (writer.PushSequence())
        using (writer.PushSequence())
        {
            writer.WriteInteger(-1);
            using (writer.PushSequence())
                writer.WriteInteger(0);
            using (writer.PushSequence())
            using (writer.PushSequence(Tag(0)))
                writer.WriteEncodedValue(certificateDer);
        }
    }

    private static Asn1Tag Tag(int number) => new(TagClass.ContextSpecific, number, isConstructed: true);
}
