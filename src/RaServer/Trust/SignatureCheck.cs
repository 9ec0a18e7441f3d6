using RaServer.Domain;

namespace RaServer.Trust;

/// <summary>
/// A detached CMS signature's signer, taken from the per-signer cache, and whether the signature verifies over the
/// payload, before anything else about the signer is judged. An applicant's envelope is refused unless it verifies;
/// a message verifier reports the outcome as a verdict beside the rest of its evidence.
/// </summary>
internal sealed class SignatureCheck
{
    private static readonly Refusal InvalidSignature = new(RaErrorKind.Unauthenticated, "SIGNATURE_INVALID",
        "The signature does not verify over the request payload with the signer's certificate.");

    private SignatureCheck(DetachedSignature? cms, SignerProfile? signer, Refusal? refusal)
    {
        Cms = cms;
        Signer = signer;
        Refusal = refusal;
    }

    /// <summary>Null, as is <see cref="Signer"/>, when the CMS cannot be read or does not include its signer's certificate.</summary>
    public DetachedSignature? Cms { get; }
    public SignerProfile? Signer { get; }

    /// <summary>CMS_MALFORMED or SIGNATURE_INVALID; null when the signature verifies.</summary>
    public Refusal? Refusal { get; }

    public bool SignatureValid => Refusal is null;

    public static SignatureCheck Unreadable(Refusal why) => new(null, null, why);

    public static SignatureCheck Of(DetachedSignature cms, SignerProfile signer, bool signatureValid) =>
        new(cms, signer, signatureValid ? null : InvalidSignature);

    /// <summary>The CMS and its signer when the signature verifies; otherwise the refusal, raised.</summary>
    public (DetachedSignature Cms, SignerProfile Signer) Accepted() =>
        this is { Refusal: null, Cms: { } cms, Signer: { } signer } ? (cms, signer) : throw Refusal!.ToException();
}
