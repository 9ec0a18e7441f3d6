using System.Formats.Asn1;
using System.Security.Cryptography;
using RaServer.Domain;

namespace RaServer.Trust;

/// <summary>
/// A detached CMS SignedData (RFC 5652) with exactly one SignerInfo, parsed with System.Formats.Asn1.
/// SignedCms would do, but it parses every embedded certificate with OpenSSL on every call and scales
/// poorly across threads (docs/PERFORMANCE.md); reading the structure ourselves lets a known signer's
/// certificate be recognised by a hash of its bytes.
/// </summary>
internal sealed class DetachedSignature
{
    private static readonly Asn1Tag Context0 = new(TagClass.ContextSpecific, 0);
    private static readonly Asn1Tag Context1 = new(TagClass.ContextSpecific, 1);
    public const string Field = "envelope.cms_signature";
    private const string NotCms = "The CMS signature is not a readable CMS SignedData.";

    private DetachedSignature() { }

    /// <summary>Each embedded certificate (plain X.509 choice only), as DER.</summary>
    public required IReadOnlyList<ReadOnlyMemory<byte>> Certificates { get; init; }

    /// <summary>The signer as IssuerAndSerialNumber: DER issuer name and serial content bytes; or null when by key id.</summary>
    public required (ReadOnlyMemory<byte> Issuer, ReadOnlyMemory<byte> Serial)? SignerIssuerAndSerial { get; init; }

    /// <summary>The signer as subjectKeyIdentifier (upper-case hex); or null when by issuer and serial.</summary>
    public required string? SignerKeyId { get; init; }

    public required string ContentType { get; init; }
    public required HashAlgorithmName Digest { get; init; }
    public required SignatureAlgorithms.Scheme Scheme { get; init; }
    public required HashAlgorithmName SignatureHash { get; init; }
    public required byte[] Signature { get; init; }

    /// <summary>The signed attributes re-encoded as the SET OF that the signature covers; null when absent.</summary>
    public required byte[]? SignedAttributes { get; init; }
    public required byte[]? MessageDigest { get; init; }
    public required string? SignedContentType { get; init; }
    public required DateTimeOffset? SigningTime { get; init; }

    public static DetachedSignature Parse(ReadOnlyMemory<byte> der)
    {
        try
        {
            return ParseCore(der);
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException)
        {
            // The parser's own text ("ASN1 corrupted data", "exceeds ... Int32.MaxValue") means nothing to a caller
            // and changes with the library; the reason and this fixed text are the answer.
            throw Malformed(NotCms);
        }
    }

    public static RaException Malformed(string message) =>
        new(RaErrorKind.Invalid, "CMS_MALFORMED", message, [new FieldProblem(Field, message)]);

    private static DetachedSignature ParseCore(ReadOnlyMemory<byte> der)
    {
        var outer = new AsnReader(der, AsnEncodingRules.BER);
        var contentInfo = outer.ReadSequence();
        if (outer.HasData)
            throw Malformed("Bytes follow the CMS ContentInfo.");
        if (contentInfo.ReadObjectIdentifier() != CertificateOids.SignedData)
            throw Malformed("The CMS content is not SignedData.");
        var signedData = contentInfo.ReadSequence(Context0).ReadSequence();
        signedData.ReadInteger(); // version
        // digestAlgorithms: the SignerInfo names the one that counts, and it must be listed here, since a verifier that
        // hashes the content as it streams (OpenSSL does) takes its digests from this list.
        var digestAlgorithms = signedData.ReadSetOf(skipSortOrderValidation: true);
        var listedDigests = new HashSet<string>(StringComparer.Ordinal);
        while (digestAlgorithms.HasData)
            listedDigests.Add(digestAlgorithms.ReadSequence().ReadObjectIdentifier());

        var encapsulated = signedData.ReadSequence();
        var contentType = encapsulated.ReadObjectIdentifier();
        if (encapsulated.HasData)
            throw Malformed("The CMS signature must be detached: the payload travels beside it, not inside.");

        var certificates = new List<ReadOnlyMemory<byte>>();
        if (signedData.HasData && signedData.PeekTag().HasSameClassAndValue(Context0))
        {
            var set = signedData.ReadSetOf(true, Context0);
            while (set.HasData)
            {
                var encoded = set.ReadEncodedValue();
                if (new AsnReader(encoded, AsnEncodingRules.BER).PeekTag() == Asn1Tag.Sequence)
                    certificates.Add(encoded);
            }
        }
        if (signedData.HasData && signedData.PeekTag().HasSameClassAndValue(Context1))
            signedData.ReadEncodedValue(); // embedded CRLs: revocation comes from the RA's own CRL store

        var signerInfos = signedData.ReadSetOf(skipSortOrderValidation: true);
        var signers = new List<ReadOnlyMemory<byte>>();
        while (signerInfos.HasData)
            signers.Add(signerInfos.ReadEncodedValue());
        if (signers.Count != 1)
            throw Malformed($"The CMS signature must have exactly one signer; it has {signers.Count}.");

        return ParseSigner(signers[0], contentType, certificates, listedDigests);
    }

    private static DetachedSignature ParseSigner(
        ReadOnlyMemory<byte> encoded, string contentType, List<ReadOnlyMemory<byte>> certificates, IReadOnlySet<string> listedDigests)
    {
        var signer = new AsnReader(encoded, AsnEncodingRules.BER).ReadSequence();
        signer.ReadInteger(); // version 1 (issuerAndSerialNumber) or 3 (subjectKeyIdentifier)
        (ReadOnlyMemory<byte>, ReadOnlyMemory<byte>)? issuerAndSerial = null;
        string? keyId = null;
        if (signer.PeekTag().HasSameClassAndValue(Context0))
        {
            keyId = Convert.ToHexString(signer.ReadOctetString(Context0));
        }
        else
        {
            var sid = signer.ReadSequence();
            issuerAndSerial = (sid.ReadEncodedValue(), sid.ReadIntegerBytes());
        }

        var digestOid = signer.ReadSequence().ReadObjectIdentifier();
        var digest = SignatureAlgorithms.Digest(digestOid) ?? throw Malformed($"Digest algorithm {digestOid} is not accepted.");
        if (!listedDigests.Contains(digestOid))
            throw Malformed("The signer's digest algorithm is missing from the SignedData's digestAlgorithms (RFC 5652 5.1).");

        byte[]? signedAttributes = null;
        byte[]? messageDigest = null;
        string? signedContentType = null;
        DateTimeOffset? signingTime = null;
        if (signer.PeekTag().HasSameClassAndValue(Context0))
        {
            // The signature covers the attributes encoded as a SET OF (tag 0x31), not as the [0] on the wire.
            signedAttributes = signer.ReadEncodedValue().ToArray();
            signedAttributes[0] = 0x31;
            var attributes = new AsnReader(signedAttributes, AsnEncodingRules.DER).ReadSetOf(skipSortOrderValidation: true);
            while (attributes.HasData)
            {
                var attribute = attributes.ReadSequence();
                var type = attribute.ReadObjectIdentifier();
                var values = attribute.ReadSetOf(skipSortOrderValidation: true);
                switch (type)
                {
                    case CertificateOids.MessageDigestAttribute:
                        messageDigest = values.ReadOctetString();
                        break;
                    case CertificateOids.ContentTypeAttribute:
                        signedContentType = values.ReadObjectIdentifier();
                        break;
                    case CertificateOids.SigningTimeAttribute:
                        signingTime = Asn1Time.Read(values);
                        break;
                }
            }
            if (messageDigest is null || signedContentType is null)
                throw Malformed("The signed attributes lack the content-type or message-digest attribute (RFC 5652 5.3).");
        }

        var signatureOid = signer.ReadSequence().ReadObjectIdentifier();
        var algorithm = SignatureAlgorithms.Signature(signatureOid, digest)
            ?? throw Malformed($"Signature algorithm {signatureOid} is not accepted.");
        var signature = signer.ReadOctetString();

        return new DetachedSignature
        {
            Certificates = certificates,
            SignerIssuerAndSerial = issuerAndSerial,
            SignerKeyId = keyId,
            ContentType = contentType,
            Digest = digest,
            Scheme = algorithm.Scheme,
            SignatureHash = algorithm.Hash,
            Signature = signature,
            SignedAttributes = signedAttributes,
            MessageDigest = messageDigest,
            SignedContentType = signedContentType,
            SigningTime = signingTime,
        };
    }
}
