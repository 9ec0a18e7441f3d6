using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CaConnector.Cmp;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace EmbeddedCa.Cmp;

/// <summary>
/// What every CMP answer carries of the CA's CMP signer, built once per <see cref="CaMaterial"/>: the sender name,
/// the senderKID, the extraCerts (signer, then issuing CA) and the signature over the signer's key, both as
/// BouncyCastle objects (for the builder, which answers everything but a granted cp) and as DER (for
/// <see cref="CmpCertRepWriter"/>). Parsing both certificates into BouncyCastle per answer was a third of the answer's allocations.
/// </summary>
internal sealed class CmpAnswerSigner
{
    public CmpAnswerSigner(CaMaterial material)
    {
        Material = material;
        Sender = new GeneralName(X509Name.GetInstance(material.CmpSigner.SubjectName.RawData));
        SenderDer = Sender.GetEncoded(Asn1Encodable.Der);
        KeyId = material.CmpSigner.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault()?.SubjectKeyIdentifierBytes.ToArray();
        ExtraCerts = [new BcCertificate(material.CmpSigner.RawData), new BcCertificate(material.Issuing.RawData)];
        ExtraCertsDer = [material.CmpSigner.RawData, material.Issuing.RawData];
        ExtraCertsLength = ExtraCertsDer.Sum(c => c.Length);
        SignatureFactory = new DotNetSignatureFactory(material.CmpSignerKey);
        AlgorithmIdentifierDer = ((AlgorithmIdentifier)SignatureFactory.AlgorithmDetails).GetEncoded(Asn1Encodable.Der);
    }

    /// <summary>The material this was built from; a different one (never, today) means build anew.</summary>
    public CaMaterial Material { get; }

    public GeneralName Sender { get; }

    public byte[] SenderDer { get; }

    public byte[]? KeyId { get; }

    public IReadOnlyList<BcCertificate> ExtraCerts { get; }

    public IReadOnlyList<byte[]> ExtraCertsDer { get; }

    public int ExtraCertsLength { get; }

    public DotNetSignatureFactory SignatureFactory { get; }

    /// <summary>The protectionAlg the signature is made with, DER.</summary>
    public byte[] AlgorithmIdentifierDer { get; }

    /// <summary>The protection of a DER protected part, as <see cref="SignatureFactory"/> makes it.</summary>
    public byte[] Sign(byte[] protectedPart) => Material.CmpSignerKey switch
    {
        ECDsa ecdsa => ecdsa.SignData(protectedPart, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence),
        RSA rsa => rsa.SignData(protectedPart, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        var key => throw new NotSupportedException($"CMP signer keys are RSA or ECDSA, not {key.GetType().Name}"),
    };
}
