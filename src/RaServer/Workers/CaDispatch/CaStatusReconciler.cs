using RaServer.Trust;
using RaServer.Domain;

namespace RaServer.Workers;

/// <summary>
/// Tells whether a hold or a release the CA just refused is in force already. CMP cannot tell "already on hold"
/// from "revoked for good" (both come back as certRevoked), and a release of a certificate no longer on hold is
/// refused too; after a lost commit the dispatcher repeats exactly those calls. The CA's current CRL settles it:
/// on hold for SUSPEND, absent for UNSUSPEND. A permanent revocation shows as Revoked and still fails the request.
/// </summary>
public sealed class CaStatusReconciler(CustomsCaCrlKeeper keeper, CustomsCaCrl crl)
{
    public async Task<bool> AlreadyInForceAsync(CaRequestRow request, CaConnector.CaRefusedException refusal, CancellationToken ct)
    {
        // A certificate the CA does not know is no repeat: that refusal always stands.
        if (request.Operation is not ("SUSPEND" or "UNSUSPEND") || request.CertificateSerialHex is null
            || refusal.FailureInfo.HasFlag(CaConnector.CmpFailureInfo.BadCertId))
            return false;
        try
        {
            await keeper.RefreshAsync(ct); // the CRL the CA publishes now, not the one held since the last round
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return false; // cannot tell: the refusal stands
        }
        var standing = crl.StatusOf(request.CertificateSerialHex).Standing;
        return request.Operation == "SUSPEND"
            ? standing == CustomsCertificateStanding.OnHold
            : standing == CustomsCertificateStanding.Good;
    }
}
