using System.Security.Cryptography.X509Certificates;
using CaConnector.Cmp;
using Org.BouncyCastle.Asn1.X509;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace EmbeddedCa.Cmp;

/// <summary>
/// What every CMP answer carries of the CA's CMP signer, built once per <see cref="CaMaterial"/>: the sender name,
/// the senderKID, the extraCerts (signer, then issuing CA) and the signature factory over the signer's key. Parsing
/// both certificates into BouncyCastle per answer was a third of the answer's allocations.
/// </summary>
internal sealed class CmpAnswerSigner
{
    public CmpAnswerSigner(CaMaterial material)
    {
        Material = material;
        Sender = new GeneralName(X509Name.GetInstance(material.CmpSigner.SubjectName.RawData));
        KeyId = material.CmpSigner.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault()?.SubjectKeyIdentifierBytes.ToArray();
        ExtraCerts = [new BcCertificate(material.CmpSigner.RawData), new BcCertificate(material.Issuing.RawData)];
        SignatureFactory = new DotNetSignatureFactory(material.CmpSignerKey);
    }

    /// <summary>The material this was built from; a different one (never, today) means build anew.</summary>
    public CaMaterial Material { get; }

    public GeneralName Sender { get; }

    public byte[]? KeyId { get; }

    public IReadOnlyList<BcCertificate> ExtraCerts { get; }

    public DotNetSignatureFactory SignatureFactory { get; }
}
