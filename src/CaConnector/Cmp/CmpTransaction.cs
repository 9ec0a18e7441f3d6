using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cmp;
using Org.BouncyCastle.Cmp;

namespace CaConnector.Cmp;

/// <summary>
/// One CMP transaction: a transactionID shared by all its messages, a fresh senderNonce on each request, the
/// CA's last senderNonce echoed as recipNonce, and every answer checked before its body is looked at.
/// </summary>
/// <remarks>
/// An answer that fails a check (protection, transactionID, recipNonce) is refused as badMessageCheck, not treated
/// as transient: it is either an attack or a misconfigured peer, and neither goes away by resending blindly.
/// </remarks>
internal sealed class CmpTransaction(CmpHttpTransport transport, IMessageProtection protection, TimeProvider time, byte[]? transactionId = null)
{
    /// <summary>RFC 4210 §5.1.1 asks for 128 bits, so a transactionID is unlikely to be in use at the server already.</summary>
    public const int NonceLength = 16;
    private byte[]? _recipNonce;

    public byte[] TransactionId { get; } = transactionId ?? RandomNumberGenerator.GetBytes(NonceLength);

    public string TransactionIdHex => Convert.ToHexString(TransactionId);

    public async Task<PkiMessage> ExchangeAsync(PkiBody body, CancellationToken cancellationToken)
    {
        var senderNonce = RandomNumberGenerator.GetBytes(NonceLength);
        var builder = new ProtectedPkiMessageBuilder(protection.Sender, protection.Recipient)
            .SetTransactionId(TransactionId)
            .SetSenderNonce(senderNonce)
            .SetMessageTime(new Asn1GeneralizedTime(time.GetUtcNow().UtcDateTime))
            .SetBody(body);
        if (_recipNonce is not null)
            builder.SetRecipNonce(_recipNonce);
        var request = protection.Protect(builder).ToAsn1Message().GetEncoded(Asn1Encodable.Der);

        var answer = Check(await transport.PostAsync(request, cancellationToken), senderNonce);
        _recipNonce = answer.Header.SenderNonce.GetOctets();
        return answer;
    }

    private PkiMessage Check(byte[] der, byte[] senderNonce)
    {
        GeneralPkiMessage general;
        try
        {
            general = new GeneralPkiMessage(der);
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidCastException or Asn1ParsingException)
        {
            throw new CaRefusedException(CmpFailureInfo.BadDataFormat, "the answer is not a CMP PKIMessage", e);
        }
        if (!general.HasProtection)
            throw Mismatch("the answer is not protected" + ErrorTextOf(general.ToAsn1Structure().Body));
        var message = new ProtectedPkiMessage(general);
        if (!protection.IsAuthentic(message))
            throw Mismatch("the answer's protection does not verify against the configured CA key or secret");

        var header = message.Header;
        if (header.TransactionID is null || !header.TransactionID.GetOctets().AsSpan().SequenceEqual(TransactionId))
            throw Mismatch("the answer carries a different transactionID");
        if (header.RecipNonce is null || !header.RecipNonce.GetOctets().AsSpan().SequenceEqual(senderNonce))
            throw new CaRefusedException(CmpFailureInfo.BadMessageCheck | CmpFailureInfo.BadRecipientNonce,
                "the answer's recipNonce is not the senderNonce we sent");
        if (header.SenderNonce is null)
            throw new CaRefusedException(CmpFailureInfo.BadMessageCheck | CmpFailureInfo.BadSenderNonce, "the answer has no senderNonce");
        return message.ToAsn1Message();
    }

    private static CaRefusedException Mismatch(string text) => new(CmpFailureInfo.BadMessageCheck, text);

    // An unprotected error is still refused (anyone on the path could forge it), but its text helps the operator.
    private static string ErrorTextOf(PkiBody body) =>
        body.Type == PkiBody.TYPE_ERROR ? $" (unauthenticated error text: {CmpStatus.TextOf(ErrorMsgContent.GetInstance(body.Content))})" : "";
}
