using System.Security.Cryptography.X509Certificates;
using CaConnector;
using EmbeddedCa.Cmp;
using RaServer.Policy;

namespace RaServer.Hosting;

/// <summary>
/// Lends the RA's key policy to the embedded CA's CMP endpoint, whose third-party clients come without the RA in
/// front: the same <see cref="CsrPolicy"/> judges their CSRs, so the policy exists once.
/// </summary>
internal sealed class PolicyCsrCheckForCmp : ICmpCsrPolicy
{
    public CmpCsrRefusal? CheckKey(PublicKey provenKey)
    {
        var check = CsrPolicy.CheckKey(provenKey);
        return check.IsAccepted ? null : new CmpCsrRefusal(FailureInfoOf(check.ReasonCode!), $"{check.ReasonCode}: {check.Detail}");
    }

    /// <summary>badPOP for a forged self-signature (as docs/CMP.md asks), the closest bit otherwise.</summary>
    private static CmpFailureInfo FailureInfoOf(string csrReason) => csrReason switch
    {
        CsrReasons.SignatureInvalid => CmpFailureInfo.BadPop,
        CsrReasons.KeyUnsupported => CmpFailureInfo.BadAlg,
        CsrReasons.KeyTooWeak => CmpFailureInfo.BadCertTemplate,
        _ => CmpFailureInfo.BadDataFormat,
    };
}
