using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cmp;
using Org.BouncyCastle.Asn1.Crmf;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Cmp;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace CaConnector.Cmp;

/// <summary>The request bodies the connector sends (docs/CMP.md "Operations").</summary>
internal static class CmpBodies
{
    /// <summary>RFC 4210 uses -1 as the certReqId of a p10cr, which has no CertReqMsg to number.</summary>
    public static readonly BcBigInteger P10CertReqId = BcBigInteger.ValueOf(-1);

    public static PkiBody P10(byte[] csrDer) =>
        new(PkiBody.TYPE_P10_CERT_REQ, CertificationRequest.GetInstance(Asn1Object.FromByteArray(csrDer)));

    public static PkiBody CertConf(X509CertificateStructure certificate, BcBigInteger certReqId) =>
        new(PkiBody.TYPE_CERT_CONFIRM, new CertificateConfirmationContentBuilder()
            .AddAcceptedCertificate(new BcCertificate(certificate), certReqId)
            .Build()
            .ToAsn1Structure());

    public static PkiBody PollReq(BcBigInteger certReqId) => new(PkiBody.TYPE_POLL_REQ, new PollReqContent(certReqId));

    // RevocationDetailsBuilder cannot carry a reason, so RevDetails is built by hand (docs/CMP.md).
    public static PkiBody Rr(CaCertificateId certificate, RevocationReason reason)
    {
        var template = new CertTemplateBuilder()
            .SetIssuer(X509Name.GetInstance(certificate.Issuer.RawData))
            .SetSerialNumber(new DerInteger(new BcBigInteger(certificate.SerialNumberHex, 16)))
            .Build();
        var extensions = new X509ExtensionsGenerator();
        extensions.AddExtension(X509Extensions.ReasonCode, critical: false, new CrlReason(CrlReasonCodes.CodeOf(reason)));
        return new PkiBody(PkiBody.TYPE_REVOCATION_REQ, new RevReqContent(new RevDetails(template, extensions.Generate())));
    }
}
