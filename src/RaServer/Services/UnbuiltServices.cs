using Customs.Ra.V1;

namespace RaServer.Services;

// These services are part of the v1 contract but none of their RPCs is built yet: mapping them means the
// mTLS allow-list already guards them, and every RPC answers UNIMPLEMENTED from the generated base class
// (README's status table lists them). Each moves to its own file when its first RPC is built.

/// <summary>Customs office clerks (role officer): paper intake, rejections, broker staff changes. Issues 3 and 5.</summary>
public sealed class CustomsOfficeService : CustomsOffice.CustomsOfficeBase;

/// <summary>The fee system (role fees): payment confirmations. Issue 3.</summary>
public sealed class PaymentsService : Payments.PaymentsBase;

/// <summary>Other government systems (role verifier): message verification. Issue 5.</summary>
public sealed class VerificationService : Verification.VerificationBase;
