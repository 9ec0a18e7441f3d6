using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Cmp;

namespace CaConnector.Cmp;

/// <summary>How requests are protected and answers authenticated: signature (the default) or shared-secret MAC.</summary>
internal interface IMessageProtection
{
    /// <summary>Header sender: who the CA should take the request to be from.</summary>
    GeneralName Sender { get; }

    /// <summary>Header recipient: the CA, or the NULL-DN when it is not known by name.</summary>
    GeneralName Recipient { get; }

    /// <summary>Sets senderKID and extraCerts as the protection needs, and protects the message.</summary>
    ProtectedPkiMessage Protect(ProtectedPkiMessageBuilder builder);

    /// <summary>True when the answer's protection checks out against what we trust.</summary>
    bool IsAuthentic(ProtectedPkiMessage answer);
}
