using Customs.Ra.V1;

namespace RaServer.Services;

/// <summary>
/// Other government systems (role verifier): message verification, built by the registration issue. Mapped now
/// so the mTLS allow-list already guards it; every RPC answers UNIMPLEMENTED from the generated base class
/// (README's status table lists it).
/// </summary>
public sealed class VerificationService : Verification.VerificationBase;
