using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CaConnector.Cmp;
using Microsoft.Extensions.Logging;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cmp;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Cmp;

namespace EmbeddedCa.Cmp;

/// <summary>
/// The embedded CA's CMP responder (RFC 4210/9480, the Lightweight CMP profile's CA side): p10cr → cp,
/// certConf → pkiConf, rr → rp. Requests must be signed by a pinned client certificate; answers are signed by the
/// CA's CMP signer certificate (not the issuing CA key), echo the transactionID, answer the request's senderNonce
/// with recipNonce and carry a fresh senderNonce.
/// </summary>
/// <remarks>
/// A bare p10cr has no approved application behind it, so the certificate takes the CSR's subject
/// (<see cref="CertificateProfile.FromCmpRequest"/>); the RA itself uses the in-process API. The request key of a
/// p10cr is its transactionID, so a repeated transaction yields the same certificate. Failures of our own (the
/// database is down) are thrown, not answered, so the HTTP layer can say 500 and a client knows the outcome is open.
/// </remarks>
public sealed class CmpServer
{
    private const int NonceLength = 16;
    private static readonly DerObjectIdentifier ImplicitConfirm = CmpObjectIdentifiers.it_implicitConfirm;

    private readonly EmbeddedCertificateAuthority _ca;
    private readonly CmpServerSettings _settings;
    private readonly IReadOnlyList<CmpTrustedClient> _clients;
    private volatile CmpAnswerSigner? _answerSigner;
    private readonly ICmpCsrPolicy _csrPolicy;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <param name="csrPolicy">The host's key policy: CMP clients have no RA in front to apply it.</param>
    public CmpServer(EmbeddedCertificateAuthority ca, CmpServerSettings settings, ICmpCsrPolicy csrPolicy, TimeProvider time, ILogger<CmpServer> logger)
    {
        _ca = ca;
        _settings = settings;
        _clients = settings.TrustedClients.Select(c => new CmpTrustedClient(c)).ToList();
        _csrPolicy = csrPolicy;
        _time = time;
        _logger = logger;
    }

    /// <summary>Answers one DER PKIMessage with one DER PKIMessage.</summary>
    public async Task<byte[]> HandleAsync(byte[] requestDer, CancellationToken cancellationToken)
    {
        var material = await _ca.GetMaterialAsync(cancellationToken);
        CmpRequestReader reader;
        PkiMessage request;
        try
        {
            reader = CmpRequestReader.Read(requestDer);
            request = reader.Message;
            _ = request.Header.Pvno;
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidCastException or Asn1ParsingException or InvalidOperationException)
        {
            return Refuse(material, null, CmpFailureInfo.BadDataFormat, "the request is not a DER PKIMessage");
        }

        var refusal = CheckHeaderAndProtection(reader);
        if (refusal is not null)
            return Refuse(material, request, refusal.Value.Failure, refusal.Value.Text);

        if (request.Body.Type == PkiBody.TYPE_P10_CERT_REQ)
        {
            var (refused, certificate) = await CertifyAsync(request, cancellationToken);
            return certificate is null ? Answer(material, request, refused!) : Granted(material, request, certificate);
        }
        var body = request.Body.Type switch
        {
            PkiBody.TYPE_CERT_CONFIRM => await ConfirmAsync(request, cancellationToken),
            PkiBody.TYPE_REVOCATION_REQ => await RevokeAsync(request, cancellationToken),
            var type => Refusal(CmpFailureInfo.BadRequest, $"CMP body type {type} is not supported here (p10cr, certConf and rr are)"),
        };
        return Answer(material, request, body);
    }

    private (CmpFailureInfo Failure, string Text)? CheckHeaderAndProtection(CmpRequestReader reader)
    {
        var request = reader.Message;
        var header = request.Header;
        if (header.TransactionID is null || header.SenderNonce is null)
            return (CmpFailureInfo.BadRequest, "transactionID and senderNonce are required");
        if (request.Protection is null || header.ProtectionAlg is null)
            return (CmpFailureInfo.BadMessageCheck | CmpFailureInfo.NotAuthorized, "requests must be signature-protected by a trusted client certificate");
        var client = FindClient(reader);
        if (client is null)
            return (CmpFailureInfo.NotAuthorized | CmpFailureInfo.SignerNotTrusted, "the request is not signed by a trusted client certificate");
        var now = _time.GetUtcNow().UtcDateTime;
        if (now < client.NotBefore || now > client.NotAfter)
            return (CmpFailureInfo.NotAuthorized | CmpFailureInfo.SignerNotTrusted, "the client certificate is outside its validity period");
        if (client.PublicKey is not { } key || !Verifies(header, key, reader.ProtectedPart, request.Protection.GetOctets()))
        {
            // The protection is over the DER of header and body; a client that sent them in another encoding signed that.
            var reEncoded = reader.ReEncodedProtectedPart();
            if (client.PublicKey is null || reEncoded.AsSpan().SequenceEqual(reader.ProtectedPart)
                || !Verifies(header, client.PublicKey, reEncoded, request.Protection.GetOctets()))
                return (CmpFailureInfo.BadMessageCheck, "the request's protection does not verify against the client certificate");
        }
        return null;
    }

    private static bool Verifies(PkiHeader header, AsymmetricAlgorithm key, byte[] signed, byte[] protection) =>
        SignatureAlgorithms.TryVerify(header.ProtectionAlg.Algorithm.Id, key, signed, protection, out var valid) && valid;

    // senderKID names the key (RFC 9483 asks for the subject key identifier); extraCerts[0] or the sender name are
    // fall-backs, looked at only when the key identifier matches no pinned client (re-encoding a certificate is not free).
    private CmpTrustedClient? FindClient(CmpRequestReader reader)
    {
        var request = reader.Message;
        var kid = request.Header.SenderKID?.GetOctets();
        if (kid is not null && _clients.FirstOrDefault(c => c.KeyId is { } ski && ski.AsSpan().SequenceEqual(kid)) is { } byKeyId)
            return byKeyId;
        var first = reader.FirstExtraCertificateDer();
        if (first is not null && _clients.FirstOrDefault(c => c.Certificate.RawData.AsSpan().SequenceEqual(first)) is { } byCertificate)
            return byCertificate;
        if (kid is not null || request.Header.Sender.Name is not X509Name name)
            return null;
        var sender = name.GetEncoded(Asn1Encodable.Der);
        return _clients.FirstOrDefault(c => c.SubjectDer.AsSpan().SequenceEqual(sender));
    }

    /// <returns>The certificate granted, or the cp that says why not.</returns>
    private async Task<(PkiBody? Refused, byte[]? Certificate)> CertifyAsync(PkiMessage request, CancellationToken cancellationToken)
    {
        var csrDer = CertificationRequest.GetInstance(request.Body.Content).GetEncoded(Asn1Encodable.Der);
        // The proof of possession first, then the host's policy on the proven key: the signature is verified once.
        CsrProof proof;
        try
        {
            proof = CsrProof.Verify(csrDer);
        }
        catch (CaRefusedException e)
        {
            return (CertRep(Rejected(e.FailureInfo, e.ReasonText)), null);
        }
        if (_csrPolicy.CheckKey(proof.PublicKey) is { } refusal)
            return (CertRep(Rejected(refusal.FailureInfo, refusal.Text)), null);
        CertificateProfile profile;
        try
        {
            profile = CertificateProfile.FromCmpRequest(proof.Subject);
        }
        catch (ArgumentException e)
        {
            return (CertRep(Rejected(CmpFailureInfo.BadCertTemplate, e.Message)), null);
        }
        try
        {
            var issue = new CaIssueRequest { RequestKey = RequestKeyOf(request), CsrDer = csrDer, Profile = profile, ValidityYears = _settings.ValidityYears };
            var issued = await _ca.IssueAsync(issue, proof.PublicKey, cancellationToken);
            return (null, issued.CertificateDer);
        }
        catch (CaRefusedException e)
        {
            return (CertRep(Rejected(e.FailureInfo, e.ReasonText)), null);
        }
    }

    /// <summary>
    /// pkiConf for an accepted certificate. A client that rejects the certificate it got (RFC 4210 5.3.18) has it
    /// revoked, so a certificate nobody accepted never stays valid.
    /// </summary>
    private async Task<PkiBody> ConfirmAsync(PkiMessage request, CancellationToken cancellationToken)
    {
        var issued = await _ca.FindByRequestKeyAsync(RequestKeyOf(request), cancellationToken);
        if (issued is null)
            return Refusal(CmpFailureInfo.BadRequest, "no certificate was issued in this transaction");
        foreach (var status in CertConfirmContent.GetInstance(request.Body.Content).ToCertStatusArray())
        {
            if (status.StatusInfo is { } info && info.Status.IntValue == 2)
                await _ca.ChangeStatusAsync(issued.Serial, StatusRequest.Revoke, RevocationReason.CessationOfOperation, cancellationToken);
        }
        return new PkiBody(PkiBody.TYPE_CONFIRM, new PkiConfirmContent());
    }

    private async Task<PkiBody> RevokeAsync(PkiMessage request, CancellationToken cancellationToken)
    {
        var material = await _ca.GetMaterialAsync(cancellationToken);
        var issuerName = X509Name.GetInstance(material.Issuing.SubjectName.RawData);
        var answers = new RevRepContentBuilder();
        foreach (var details in RevReqContent.GetInstance(request.Body.Content).ToRevDetailsArray())
            answers.Add(await RevokeOneAsync(details, issuerName, cancellationToken));
        return new PkiBody(PkiBody.TYPE_REVOCATION_REP, answers.Build());
    }

    private async Task<PkiStatusInfo> RevokeOneAsync(RevDetails details, X509Name issuerName, CancellationToken cancellationToken)
    {
        var template = details.CertDetails;
        if (template.SerialNumber is null)
            return Rejected(CmpFailureInfo.BadCertId, "the revocation request names no serial number");
        if (template.Issuer is not null && !template.Issuer.Equivalent(issuerName))
            return Rejected(CmpFailureInfo.BadCertId, $"the certificate was not issued by this CA ({issuerName})");
        if (!TryReasonOf(details, out var reason))
            return Rejected(CmpFailureInfo.BadRequest, "the reasonCode is not one of RFC 5280's CRL reasons");
        var serial = template.SerialNumber.Value.ToByteArrayUnsigned();
        var decision = await _ca.ChangeStatusAsync(serial, RevocationRules.RequestFor(reason), reason, cancellationToken);
        if (decision is null)
            return Rejected(CmpFailureInfo.BadCertId, $"no certificate with serial {SerialNumbers.ToHex(serial)} was issued by this CA");
        return decision.Outcome == StatusOutcome.Change ? CmpReplies.Granted() : Rejected(decision.FailureInfo, decision.Text);
    }

    // reasonCode in crlEntryDetails (docs/CMP.md); none means unspecified.
    private static bool TryReasonOf(RevDetails details, out RevocationReason reason)
    {
        reason = RevocationReason.Unspecified;
        var extension = details.CrlEntryDetails?.GetExtension(X509Extensions.ReasonCode);
        if (extension is null)
            return true;
        if (CrlReasonCodes.ReasonOf(CrlReason.GetInstance(extension.GetParsedValue()).IntValueExact) is not { } named)
            return false;
        reason = named;
        return true;
    }

    /// <summary>
    /// The cp granting <paramref name="certificate"/>, with implicitConfirm in generalInfo when the client asked for it
    /// (RFC 4210 5.1.1.1): the certificate is stored already, so nothing waits for a certConf, which stays welcome.
    /// </summary>
    private byte[] Granted(CaMaterial material, PkiMessage request, byte[] certificate)
    {
        var header = request.Header;
        return CmpCertRepWriter.Granted(AnswerSignerFor(material), header.Sender.GetEncoded(Asn1Encodable.Der), header.TransactionID.GetOctets(),
            RandomNumberGenerator.GetBytes(NonceLength), header.SenderNonce.GetOctets(), _time.GetUtcNow(), WantsImplicitConfirm(request), certificate);
    }

    private byte[] Answer(CaMaterial material, PkiMessage? request, PkiBody body)
    {
        var signer = AnswerSignerFor(material);
        var header = request?.Header;
        var builder = new ProtectedPkiMessageBuilder(signer.Sender, header?.Sender ?? new GeneralName(new X509Name([], [])))
            .SetTransactionId(header?.TransactionID?.GetOctets() ?? RandomNumberGenerator.GetBytes(NonceLength))
            .SetSenderNonce(RandomNumberGenerator.GetBytes(NonceLength))
            .SetMessageTime(new Asn1GeneralizedTime(_time.GetUtcNow().UtcDateTime))
            .SetBody(body);
        if (header?.SenderNonce is { } nonce)
            builder.SetRecipNonce(nonce.GetOctets());
        if (signer.KeyId is { } kid)
            builder.SetSenderKID(kid);
        foreach (var certificate in signer.ExtraCerts)
            builder.AddCmpCertificate(certificate);
        return builder.Build(signer.SignatureFactory).ToAsn1Message().GetEncoded(Asn1Encodable.Der);
    }

    // The material is loaded once per process; the check only guards against a signer built for another one.
    private CmpAnswerSigner AnswerSignerFor(CaMaterial material)
    {
        var signer = _answerSigner;
        if (signer is null || !ReferenceEquals(signer.Material, material))
            _answerSigner = signer = new CmpAnswerSigner(material);
        return signer;
    }

    private byte[] Refuse(CaMaterial material, PkiMessage? request, CmpFailureInfo failure, string text) =>
        Answer(material, request, Refusal(failure, text));

    private PkiBody Refusal(CmpFailureInfo failure, string text)
    {
        EmbeddedCaLog.CmpRefused(_logger, failure, text);
        return CmpReplies.Error(failure, text);
    }

    private PkiStatusInfo Rejected(CmpFailureInfo failure, string text)
    {
        EmbeddedCaLog.CmpRefused(_logger, failure, text);
        return CmpReplies.Rejection(failure, text);
    }

    private static PkiBody CertRep(PkiStatusInfo status) =>
        new(PkiBody.TYPE_CERT_REP, new CertRepMessage(null, [new CertResponse(DerInteger.ValueOf(-1), status)]));

    private static bool WantsImplicitConfirm(PkiMessage request) =>
        request.Header.GetGeneralInfo()?.Any(info => info.InfoType.Equals(ImplicitConfirm)) == true;

    private static string RequestKeyOf(PkiMessage request) => "cmp:" + Convert.ToHexString(request.Header.TransactionID.GetOctets());

}
