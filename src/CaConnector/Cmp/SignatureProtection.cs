using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Cmp;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace CaConnector.Cmp;

/// <summary>
/// Requests signed with the RA's key (certificate and chain in extraCerts, senderKID = its subject key identifier);
/// answers accepted only when signed by the one configured CA server key.
/// </summary>
internal sealed class SignatureProtection : IMessageProtection
{
    private readonly DotNetSignatureFactory _signer;
    private readonly byte[]? _senderKid;
    private readonly IReadOnlyList<BcCertificate> _extraCerts;
    private readonly AsymmetricAlgorithm _caServerKey;

    public SignatureProtection(X509Certificate2 raCertificate, IEnumerable<X509Certificate2> raChain, X509Certificate2 caServerCertificate)
    {
        var raKey = (AsymmetricAlgorithm?)raCertificate.GetRSAPrivateKey() ?? raCertificate.GetECDsaPrivateKey()
            ?? throw new ArgumentException("The RA certificate needs an RSA or ECDSA private key.", nameof(raCertificate));
        _signer = new DotNetSignatureFactory(raKey);
        _caServerKey = (AsymmetricAlgorithm?)caServerCertificate.GetRSAPublicKey() ?? caServerCertificate.GetECDsaPublicKey()
            ?? throw new ArgumentException("The CA server certificate needs an RSA or ECDSA key.", nameof(caServerCertificate));
        var ski = raCertificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault();
        _senderKid = ski?.SubjectKeyIdentifierBytes.ToArray();
        _extraCerts = [new BcCertificate(raCertificate.RawData), .. raChain.Select(c => new BcCertificate(c.RawData))];
        Sender = new GeneralName(X509Name.GetInstance(raCertificate.SubjectName.RawData));
        Recipient = new GeneralName(X509Name.GetInstance(caServerCertificate.SubjectName.RawData));
    }

    public GeneralName Sender { get; }

    public GeneralName Recipient { get; }

    public ProtectedPkiMessage Protect(ProtectedPkiMessageBuilder builder)
    {
        if (_senderKid is not null)
            builder.SetSenderKID(_senderKid);
        foreach (var certificate in _extraCerts)
            builder.AddCmpCertificate(certificate);
        return builder.Build(_signer);
    }

    public bool IsAuthentic(ProtectedPkiMessage answer)
    {
        var message = answer.ToAsn1Message();
        var signed = new DerSequence(message.Header, message.Body).GetEncoded(Asn1Encodable.Der);
        var algorithm = answer.ProtectionAlgorithm.Algorithm.Id;
        return SignatureAlgorithms.TryVerify(algorithm, _caServerKey, signed, message.Protection.GetOctets(), out var valid) && valid;
    }
}
