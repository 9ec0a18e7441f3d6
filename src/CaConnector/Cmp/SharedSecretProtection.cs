using System.Text;
using Org.BouncyCastle.Asn1.Cmp;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Cmp;
using Org.BouncyCastle.Crmf;

namespace CaConnector.Cmp;

/// <summary>
/// Password-based MAC (RFC 4210 §5.1.3.1) both ways, for CAs that enrol an RA by shared secret instead of a
/// certificate. senderKID carries the reference the CA filed the secret under.
/// </summary>
internal sealed class SharedSecretProtection(string secret, string reference) : IMessageProtection
{
    private readonly byte[] _reference = Encoding.UTF8.GetBytes(reference);

    public GeneralName Sender { get; } = new(X509Name.GetInstance(new Org.BouncyCastle.Asn1.DerSequence()));

    public GeneralName Recipient { get; } = new(X509Name.GetInstance(new Org.BouncyCastle.Asn1.DerSequence()));

    public ProtectedPkiMessage Protect(ProtectedPkiMessageBuilder builder) =>
        builder.SetSenderKID(_reference).Build(new PKMacBuilder().Build(secret.ToCharArray()));

    public bool IsAuthentic(ProtectedPkiMessage answer) =>
        CmpObjectIdentifiers.passwordBasedMac.Equals(answer.ProtectionAlgorithm.Algorithm)
        && answer.Verify(new PKMacBuilder(), secret.ToCharArray());
}
