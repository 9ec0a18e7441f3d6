using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CaConnector;
using RaServer.Domain;

namespace RaServer.Trust;

/// <summary>
/// A parsed X.509 CRL (RFC 5280 5.1). Read with System.Formats.Asn1 because a government CRL can hold
/// hundreds of thousands of entries and BouncyCastle's object model is ten times slower on those.
/// </summary>
internal sealed class CrlDocument
{
    private CrlDocument() { }

    public required ReadOnlyMemory<byte> Der { get; init; }
    public required ReadOnlyMemory<byte> TbsCertList { get; init; }
    public required string SignatureAlgorithm { get; init; }
    public required byte[] Signature { get; init; }
    public required X500DistinguishedName Issuer { get; init; }
    public required DateTimeOffset ThisUpdate { get; init; }
    public required DateTimeOffset NextUpdate { get; init; }
    public required BigInteger CrlNumber { get; init; }
    public required string? AuthorityKeyId { get; init; }

    /// <summary>Revoked serials in the spelling of <see cref="SerialNumbers"/>.</summary>
    public required HashSet<string> RevokedSerials { get; init; }

    public static CrlDocument Parse(byte[] der)
    {
        try
        {
            return ParseCore(der);
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException or ArgumentException)
        {
            throw Malformed($"The CRL is not valid DER: {e.Message}");
        }
    }

    /// <summary>Checks the CRL's signature with the public key of a candidate issuer.</summary>
    public bool IsSignedBy(X509Certificate2 issuer)
    {
        if (SignatureAlgorithms.Signature(SignatureAlgorithm, digest: null) is not { } algorithm)
            return false;
        using var key = (AsymmetricAlgorithm?)issuer.GetRSAPublicKey() ?? issuer.GetECDsaPublicKey();
        return key is not null && SignatureAlgorithms.Verify(key, algorithm.Scheme, algorithm.Hash, TbsCertList.Span, Signature);
    }

    private static CrlDocument ParseCore(byte[] der)
    {
        var outer = new AsnReader(der, AsnEncodingRules.DER);
        var certList = outer.ReadSequence();
        outer.ThrowIfNotEmpty();
        var tbsEncoded = certList.PeekEncodedValue();
        var tbs = certList.ReadSequence();
        var signatureAlgorithm = certList.ReadSequence().ReadObjectIdentifier();
        var signature = certList.ReadBitString(out _);

        if (tbs.PeekTag() == Asn1Tag.Integer)
            tbs.ReadInteger(); // version v2
        tbs.ReadSequence(); // signature algorithm, repeated inside the signed part
        var issuer = new X500DistinguishedName(tbs.ReadEncodedValue().Span);
        var thisUpdate = Asn1Time.Read(tbs);
        // RFC 5280 requires nextUpdate; without it nobody can tell when the list went stale.
        var nextUpdate = Asn1Time.IsNext(tbs) ? Asn1Time.Read(tbs) : throw Malformed("The CRL has no nextUpdate.");

        var revoked = new HashSet<string>(StringComparer.Ordinal);
        if (tbs.HasData && tbs.PeekTag() == Asn1Tag.Sequence)
        {
            var entries = tbs.ReadSequence();
            while (entries.HasData)
            {
                var entry = entries.ReadSequence();
                revoked.Add(SerialNumbers.ToHex(entry.ReadIntegerBytes().Span));
            }
        }

        BigInteger? crlNumber = null;
        string? authorityKeyId = null;
        if (tbs.HasData)
        {
            var extensions = tbs.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0)).ReadSequence();
            while (extensions.HasData)
            {
                var extension = extensions.ReadSequence();
                var oid = extension.ReadObjectIdentifier();
                var critical = extension.PeekTag() == Asn1Tag.Boolean && extension.ReadBoolean();
                var value = new AsnReader(extension.ReadOctetString(), AsnEncodingRules.DER);
                switch (oid)
                {
                    case CertificateOids.CrlNumber:
                        crlNumber = value.ReadInteger();
                        break;
                    case CertificateOids.AuthorityKeyIdentifier:
                        var aki = value.ReadSequence();
                        if (aki.HasData && aki.PeekTag() == new Asn1Tag(TagClass.ContextSpecific, 0))
                            authorityKeyId = Convert.ToHexString(aki.ReadOctetString(new Asn1Tag(TagClass.ContextSpecific, 0)));
                        break;
                    case CertificateOids.DeltaCrlIndicator:
                        throw Malformed("Delta CRLs are not accepted; load the full CRL.");
                    default:
                        // An unknown critical extension (such as an issuing distribution point that narrows
                        // the CRL's scope) changes what the list means; RFC 5280 says to refuse it.
                        if (critical)
                            throw Malformed($"The CRL has an unsupported critical extension {oid}.");
                        break;
                }
            }
        }

        return new CrlDocument
        {
            Der = der,
            TbsCertList = tbsEncoded,
            SignatureAlgorithm = signatureAlgorithm,
            Signature = signature,
            Issuer = issuer,
            ThisUpdate = thisUpdate,
            NextUpdate = nextUpdate,
            // A CRL without a number cannot be ordered against the one held, so it is refused.
            CrlNumber = crlNumber ?? throw Malformed("The CRL has no CRL number."),
            AuthorityKeyId = authorityKeyId,
            RevokedSerials = revoked,
        };
    }

    private static RaException Malformed(string message) => new(RaErrorKind.Invalid, "CRL_MALFORMED", message);
}
