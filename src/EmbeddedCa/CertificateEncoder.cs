using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EmbeddedCa;

/// <summary>
/// Encodes and signs an X.509 v3 certificate (RFC 5280 4.1) with <see cref="AsnWriter"/>, in the layout
/// <see cref="CertificateRequest.Create(X500DistinguishedName, X509SignatureGenerator, DateTimeOffset, DateTimeOffset, ReadOnlySpan{byte})"/>
/// writes. That method hands back an X509Certificate2, which loads the DER it just wrote into OpenSSL again: the
/// CA only wants the bytes, and the load cost about half of signing a certificate. Tests compare the two byte for byte.
/// </summary>
public static class CertificateEncoder
{
    private static readonly DateTimeOffset GeneralizedTimeFrom = new(2050, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static byte[] Encode(X500DistinguishedName issuer, X500DistinguishedName subject, PublicKey subjectKey, byte[] serial,
        DateTimeOffset notBefore, DateTimeOffset notAfter, IEnumerable<X509Extension> extensions, X509SignatureGenerator generator)
    {
        var algorithm = generator.GetSignatureAlgorithmIdentifier(HashAlgorithmName.SHA256);
        var tbs = new AsnWriter(AsnEncodingRules.DER, initialCapacity: 1024);
        using (tbs.PushSequence())
        {
            using (tbs.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                tbs.WriteInteger(2); // v3
            tbs.WriteInteger(serial);
            tbs.WriteEncodedValue(algorithm);
            tbs.WriteEncodedValue(issuer.RawData);
            using (tbs.PushSequence())
            {
                WriteTime(tbs, notBefore);
                WriteTime(tbs, notAfter);
            }
            tbs.WriteEncodedValue(subject.RawData);
            tbs.WriteEncodedValue(subjectKey.ExportSubjectPublicKeyInfo());
            using (tbs.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 3, isConstructed: true)))
            using (tbs.PushSequence())
            {
                foreach (var extension in extensions)
                {
                    using (tbs.PushSequence())
                    {
                        tbs.WriteObjectIdentifier(extension.Oid!.Value!);
                        if (extension.Critical)
                            tbs.WriteBoolean(true); // DER leaves out the DEFAULT FALSE
                        tbs.WriteOctetString(extension.RawData);
                    }
                }
            }
        }
        var tbsDer = tbs.Encode();
        var signature = generator.SignData(tbsDer, HashAlgorithmName.SHA256);

        var certificate = new AsnWriter(AsnEncodingRules.DER, initialCapacity: tbsDer.Length + algorithm.Length + signature.Length + 16);
        using (certificate.PushSequence())
        {
            certificate.WriteEncodedValue(tbsDer);
            certificate.WriteEncodedValue(algorithm);
            certificate.WriteBitString(signature);
        }
        return certificate.Encode();
    }

    // RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050 on; whole seconds, as the signer truncates them.
    private static void WriteTime(AsnWriter writer, DateTimeOffset time)
    {
        if (time.ToUniversalTime() < GeneralizedTimeFrom)
            writer.WriteUtcTime(time);
        else
            writer.WriteGeneralizedTime(time, omitFractionalSeconds: true);
    }
}
