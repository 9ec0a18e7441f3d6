using System.Security.Cryptography;
using Customs.Ra.V1;
using Google.Protobuf;
using Grpc.Core;
using RaServer.Domain;
using RaServer.Storage;
using RaServer.Trust;

namespace RaServer.Api;

/// <summary>
/// Every applicant RPC goes through here: check the CMS signature over the bytes received, parse the
/// payload from those same bytes (never a re-serialization), check that the signed header names this RPC, bind the signer to the applicant named in
/// the payload, then run the work in one transaction with the replay journal. The same request id with
/// the same bytes returns the original answer; with other bytes it is refused.
/// </summary>
public sealed class SignedRequestPipeline(SignedRequestVerifier verifier, UnitOfWorkFactory units, TimeProvider clock)
{
    /// <summary>
    /// A state-changing RPC: the work runs in one transaction with the replay journal. The same request id
    /// with the same bytes returns the original answer; with other bytes it is refused. A refused request
    /// rolls back, leaving nothing behind but its audit row.
    /// </summary>
    public async Task<TResponse> HandleAsync<TPayload, TResponse>(
        SignedEnvelope? envelope,
        MessageParser<TPayload> payloadParser,
        Func<TPayload, RequestHeader?> headerOf,
        ServerCallContext context,
        Func<SignedCall<TPayload>, CancellationToken, Task<TResponse>> work)
        where TPayload : IMessage<TPayload>
        where TResponse : IMessage<TResponse>, new()
    {
        var ct = context.CancellationToken;
        var request = Accept(envelope, payloadParser, headerOf, context);
        var payloadHash = SHA256.HashData(envelope!.Payload.Span);

        await using var uow = await units.BeginAsync(ct);
        var prior = await uow.Journal.ClaimAsync(request.RequestId, payloadHash, context.Method, clock.GetUtcNow(), ct);
        if (prior is not null)
            return Replay<TResponse>(prior, payloadHash, context.Method);

        var response = await work(new SignedCall<TPayload>(request, uow), ct);
        await uow.Journal.StoreResponseAsync(request.RequestId, response.ToByteArray(), ct);
        await uow.CommitAsync(ct);
        return response;
    }

    /// <summary>
    /// A read-only RPC: the same checks, but no journal row (the contract says a read's request id is only
    /// logged), so reads cost no write.
    /// </summary>
    public SignedRequest<TPayload> Accept<TPayload>(
        SignedEnvelope? envelope,
        MessageParser<TPayload> payloadParser,
        Func<TPayload, RequestHeader?> headerOf,
        ServerCallContext context)
        where TPayload : IMessage<TPayload>
    {
        if (envelope is null || envelope.Payload.IsEmpty || envelope.CmsSignature.IsEmpty)
            throw new RaException(RaErrorKind.Invalid, "ENVELOPE_MISSING", "the request must carry a signed envelope",
                [new FieldProblem("envelope", "payload and cms_signature are both required")]);

        var signer = verifier.Verify(envelope.Payload.Memory, envelope.CmsSignature.Memory);
        context.SetSignerDescription(Describe(signer));

        var payload = ParsePayload(envelope.Payload, payloadParser);
        RequestForm.EnsureWellFormed(payload);
        var header = headerOf(payload);
        var requestId = ValidateHeader(header);
        BindToRpc(header!, context.Method);
        BindApplicant(signer, header!.Applicant);
        return new SignedRequest<TPayload>(payload, signer, requestId);
    }

    /// <summary>Who signed, for the audit log: kind, the identifier the certificate carries, and its serial.</summary>
    private static string Describe(VerifiedSigner signer) =>
        $"{signer.Kind}:{signer.Ubn ?? signer.IdLastFour ?? signer.OrganizationId ?? "-"}:{signer.SerialNumberHex}";

    private static TPayload ParsePayload<TPayload>(ByteString bytes, MessageParser<TPayload> parser)
        where TPayload : IMessage<TPayload>
    {
        try
        {
            return parser.ParseFrom(bytes);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or System.Text.DecoderFallbackException)
        {
            throw RaException.InvalidField("PAYLOAD_MALFORMED", "envelope.payload",
                $"the signed payload is not a valid {typeof(TPayload).Name}");
        }
    }

    private static string ValidateHeader(RequestHeader? header)
    {
        if (header is null)
            throw RaException.InvalidField("HEADER_MISSING", "header", "the payload must carry a request header");
        if (!Guid.TryParseExact(header.RequestId, "D", out _))
            throw RaException.InvalidField("REQUEST_ID_INVALID", "header.request_id",
                "request_id must be a UUID in its 36-character form");
        if (header.Applicant is null || header.Applicant.IdentityCase == Applicant.IdentityOneofCase.None)
            throw RaException.InvalidField("APPLICANT_MISSING", "header.applicant",
                "the applicant (an organization or a person) is required");
        return header.RequestId;
    }

    /// <summary>
    /// A signature is consent to one RPC: the signed header names the method, and a payload replayed to another RPC
    /// (whose payload happens to parse from the same bytes) is refused rather than read as consent to that one.
    /// </summary>
    private static void BindToRpc(RequestHeader header, string method)
    {
        if (string.IsNullOrEmpty(header.Rpc))
            throw RaException.InvalidField("RPC_MISSING", "header.rpc",
                $"the signed header must name the RPC it is signed for, here {method}");
        if (!string.Equals(header.Rpc, method, StringComparison.Ordinal))
            throw RaException.InvalidField("RPC_MISMATCH", "header.rpc",
                $"this payload is signed for {header.Rpc}, not {method}");
    }

    private static void BindApplicant(VerifiedSigner signer, Applicant applicant)
    {
        switch (applicant.IdentityCase)
        {
            case Applicant.IdentityOneofCase.Organization:
                ApplicantBinding.Ensure(signer, applicant.Organization.Ubn, null, null);
                break;
            case Applicant.IdentityOneofCase.Person:
                ApplicantBinding.Ensure(signer, null, applicant.Person.NationalId, applicant.Person.Name);
                break;
        }
    }

    private static TResponse Replay<TResponse>(SignedRequestJournal.PriorRequest prior, byte[] payloadHash, string rpc)
        where TResponse : IMessage<TResponse>, new()
    {
        if (!prior.PayloadSha256.AsSpan().SequenceEqual(payloadHash) || prior.Rpc != rpc || prior.Response is null)
            throw new RaException(RaErrorKind.AlreadyExists, "REQUEST_ID_REUSED",
                "this request_id was already used for a different request",
                [new FieldProblem("header.request_id", "use a new request_id for a new request")]);
        var replayed = new TResponse();
        replayed.MergeFrom(prior.Response);
        return replayed;
    }
}
