using RaServer.Domain;
using RaServer.Storage;

namespace RaServer.Api;

/// <summary>
/// A signed request that passed every identity and integrity check: its payload parsed from the exact bytes
/// that were signed, who signed it, and its request id.
/// </summary>
public sealed record SignedRequest<TPayload>(TPayload Payload, VerifiedSigner Signer, string RequestId);

/// <summary>
/// A state-changing signed request, with the unit of work in which its work and its replay journal row commit
/// together.
/// </summary>
public sealed record SignedCall<TPayload>(SignedRequest<TPayload> Request, UnitOfWork Unit)
{
    public TPayload Payload => Request.Payload;
    public VerifiedSigner Signer => Request.Signer;
}
