using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EmbeddedCa;

/// <summary>One line of the CRL: a held or revoked certificate.</summary>
public sealed record RevokedCertificate(byte[] Serial, DateTimeOffset RevokedAt, RevocationReason Reason)
{
    /// <summary>
    /// The entry's DER, made by <see cref="CrlSigner"/> on first use: a store that keeps its entries from one CRL to
    /// the next (the PostgreSQL store does) pays the encoding once per entry, not once per CRL.
    /// </summary>
    internal byte[]? Encoded { get; set; }

    // The encoding is a cache of the three values, not a fourth: equality ignores it.
    public bool Equals(RevokedCertificate? other) =>
        other is not null && Serial.AsSpan().SequenceEqual(other.Serial) && RevokedAt == other.RevokedAt && Reason == other.Reason;

    public override int GetHashCode() => HashCode.Combine(Convert.ToHexString(Serial), RevokedAt, Reason);
}

/// <summary>
/// Signs v2 CRLs (RFC 5280 5.1): the entries, an authority key identifier and the CRL number, signed with SHA-256 by
/// the issuing key (ECDSA, or RSA PKCS#1 v1.5). Encoded here, the entries by <see cref="CrlEntryEncoding"/> and the
/// rest with an <see cref="AsnWriter"/> sized for the list up front, rather than by .NET's
/// CertificateRevocationListBuilder: that builder's writer grows 1 KiB at a time, copying everything written so far
/// on each step, so its time grows with the square of the list (measured on 2 cores: 100,000 entries 8.6 s, 200,000
/// entries 51 s; a million would take many minutes).
/// </summary>
public sealed class CrlSigner(CaMaterial ca)
{
    private const int FixedPartBytes = 4096;
    private const string CrlNumberOid = "2.5.29.20";

    public byte[] Sign(IEnumerable<RevokedCertificate> entries, long crlNumber, DateTimeOffset thisUpdate, DateTimeOffset nextUpdate)
    {
        var list = entries as IReadOnlyCollection<RevokedCertificate> ?? entries.ToList();
        var algorithm = Generator().GetSignatureAlgorithmIdentifier(HashAlgorithmName.SHA256);

        var revoked = list.Count > 0 ? CrlEntryEncoding.RevokedCertificates(list) : null;
        var tbs = new AsnWriter(AsnEncodingRules.DER, initialCapacity: FixedPartBytes + (revoked?.Length ?? 0));
        using (tbs.PushSequence())
        {
            tbs.WriteInteger(1); // v2: the list has extensions
            tbs.WriteEncodedValue(algorithm);
            tbs.WriteEncodedValue(ca.Issuing.SubjectName.RawData);
            WriteTime(tbs, thisUpdate);
            WriteTime(tbs, nextUpdate);
            // RFC 5280: when there are no revoked certificates, the list is absent, not empty.
            if (revoked is not null)
                tbs.WriteEncodedValue(revoked);
            using (tbs.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0)))
            using (tbs.PushSequence())
            {
                WriteExtension(tbs, X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(ca.IssuingKeyId));
                var number = new AsnWriter(AsnEncodingRules.DER);
                number.WriteInteger(crlNumber);
                WriteExtension(tbs, new X509Extension(CrlNumberOid, number.Encode(), critical: false));
            }
        }
        var tbsDer = tbs.Encode();
        var signature = Generator().SignData(tbsDer, HashAlgorithmName.SHA256);

        var crl = new AsnWriter(AsnEncodingRules.DER, initialCapacity: tbsDer.Length + algorithm.Length + signature.Length + 32);
        using (crl.PushSequence())
        {
            crl.WriteEncodedValue(tbsDer);
            crl.WriteEncodedValue(algorithm);
            crl.WriteBitString(signature);
        }
        return crl.Encode();
    }

    private X509SignatureGenerator Generator() => ca.IssuingKey switch
    {
        ECDsa ecdsa => X509SignatureGenerator.CreateForECDsa(ecdsa),
        RSA rsa => X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1),
        var other => throw new NotSupportedException($"no CRL signature with a {other.GetType().Name} key"),
    };

    private static void WriteExtension(AsnWriter writer, X509Extension extension)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(extension.Oid!.Value!);
            if (extension.Critical)
                writer.WriteBoolean(true);
            writer.WriteOctetString(extension.RawData);
        }
    }

    /// <summary>RFC 5280 5.1.2.4: UTCTime through 2049, GeneralizedTime from 2050; whole seconds either way.</summary>
    private static void WriteTime(AsnWriter writer, DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        if (utc.Year is >= 1950 and <= 2049)
            writer.WriteUtcTime(utc, twoDigitYearMax: 2049);
        else
            writer.WriteGeneralizedTime(utc, omitFractionalSeconds: true);
    }
}
