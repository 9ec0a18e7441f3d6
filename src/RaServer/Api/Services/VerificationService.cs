using Customs.Ra.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using RaServer.Domain;
using RaServer.Policy;
using RaServer.Workflow;

namespace RaServer.Api;

/// <summary>
/// Other government systems (role verifier, mTLS): is a signed customs message from a qualified holder? A
/// non-VALID verdict is an answer, not an error; errors are for malformed requests only.
/// </summary>
public sealed class VerificationService(MessageVerifier verifier) : Customs.Ra.V1.Verification.VerificationBase
{
    public override async Task<VerifySignedMessageResponse> VerifySignedMessage(VerifySignedMessageRequest request, ServerCallContext context)
    {
        var problems = new List<FieldProblem>();
        if (request.Message.IsEmpty)
            problems.Add(new("message", "the message bytes are required"));
        if (request.CmsSignature.IsEmpty)
            problems.Add(new("cms_signature", "the detached CMS signature is required"));
        if (!TaiwanIdentifiers.IsValidUbn(request.FirmUbn))
            problems.Add(new("firm_ubn", "the UBN of the firm the message is sent for is required"));
        if (problems.Count > 0)
            throw new RaException(RaErrorKind.Invalid, "VERIFICATION_REQUEST_INVALID", problems[0].Description, problems);

        var facts = await verifier.VerifyMessageAsync(request.Message.ToByteArray(), request.CmsSignature.ToByteArray(), request.FirmUbn, context.CancellationToken);
        return new VerifySignedMessageResponse { Verdict = VerdictOf(facts), Evidence = EvidenceOf(facts, request.FirmUbn) };
    }

    public override async Task<GetCertificateStatusResponse> GetCertificateStatus(GetCertificateStatusRequest request, ServerCallContext context)
    {
        if (!CaConnector.SerialNumbers.TryCanonical(request.SerialHex, out var serial))
            throw RaException.InvalidField("SERIAL_INVALID", "serial_hex", "the certificate serial number in hex is required");
        if (!TaiwanIdentifiers.IsValidUbn(request.FirmUbn))
            throw RaException.InvalidField("UBN_INVALID", "firm_ubn", "the UBN of the firm is required");
        var facts = await verifier.StatusOfAsync(serial, request.FirmUbn, context.CancellationToken);
        return new GetCertificateStatusResponse { Verdict = VerdictOf(facts), Evidence = EvidenceOf(facts, request.FirmUbn) };
    }

    private static VerificationVerdict VerdictOf(VerificationFacts facts) =>
        ProtoEnums.Parse<VerificationVerdict>("VERIFICATION_VERDICT_", Verdicts.Of(facts));

    private static VerificationEvidence EvidenceOf(VerificationFacts facts, string firmUbn)
    {
        var evidence = new VerificationEvidence
        {
            FirmUbn = firmUbn,
            Registered = facts.Registered,
            HolderQualified = facts.HolderQualified,
            CheckedAt = Timestamp.FromDateTimeOffset(facts.CheckedAt),
        };
        if (facts.SignerCertificateDer is { } der)
            evidence.SignerCertificateDer = ByteString.CopyFrom(der);
        if (facts.SigningTime is { } signed)
            evidence.SigningTime = Timestamp.FromDateTimeOffset(signed);
        if (facts.Certificate is { } certificate)
        {
            var mapped = CertificateMapping.ToProto(certificate, facts.CheckedAt);
            evidence.SerialHex = SerialSpelling.ToWire(certificate.SerialHex);
            evidence.Holder = mapped.Holder;
        }
        if (facts.Status is { } status)
        {
            evidence.CertificateState = StatusMapping.StateOf(status.Standing, facts.Expired);
            evidence.StatusSource = StatusMapping.ToProto(status.Origin);
            if (status.Reason is { } reason)
                evidence.RevocationReason = RevocationReasonMapping.ToProto(reason);
        }
        if (facts.Crl is { } crl)
        {
            evidence.CrlNumber = crl.CrlNumber.ToString(System.Globalization.CultureInfo.InvariantCulture);
            evidence.CrlThisUpdate = Timestamp.FromDateTimeOffset(crl.ThisUpdate);
            evidence.CrlNextUpdate = Timestamp.FromDateTimeOffset(crl.NextUpdate);
        }
        return evidence;
    }
}
