using RaServer.Storage;
using RaServer.Policy;
using RaServer.Trust;

namespace RaServer.Workflow;

/// <summary>
/// Answers other government systems: may this signed customs message be trusted? The signature over the exact
/// message bytes, whether our CA issued the signer's certificate (the RA's records), its status from whichever is
/// newer of the RA's record and the RA's current CRL of that CA (<see cref="CertificateStatusRule"/>; a stale CRL with
/// nothing newer → status unknown, never a guess), its dates, its registration with the firm
/// the message is sent for, and whether its holder is still qualified (a disqualified broker or one without a
/// mandate at that firm authenticates but is flagged). A signer our CA did not issue may be a registered government PKI
/// certificate, judged by <see cref="GovernmentCertificateFacts"/>.
/// </summary>
public sealed class MessageVerifier(
    UnitOfWorkFactory units, CustomsCaCrl crl, SignedRequestVerifier signatures, GovernmentCertificateFacts government, TimeProvider clock)
{
    public async Task<VerificationFacts> VerifyMessageAsync(byte[] message, byte[] cmsSignature, string firmUbn, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // The signer is found as an envelope's is; what an envelope would refuse, a verdict reports.
        var check = signatures.CheckSignature(message, cmsSignature);
        if (check is not { Cms: { } cms, Signer: { } signer })
            return new VerificationFacts { SignatureValid = false, CheckedAt = now };

        var signerDer = signer.Certificate.RawData;
        var facts = await FactsForAsync(signer.SerialHex, signerDer, firmUbn, cms.SigningTime ?? now, now, ct);
        return facts with { SignatureValid = check.SignatureValid, SignerCertificateDer = signerDer, SigningTime = cms.SigningTime };
    }

    /// <summary>The same facts for a serial, without a message (GetCertificateStatus).</summary>
    public Task<VerificationFacts> StatusOfAsync(string serialHex, string firmUbn, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return FactsForAsync(serialHex, null, firmUbn, now, now, ct);
    }

    private async Task<VerificationFacts> FactsForAsync(
        string serialHex, byte[]? signerDer, string firmUbn, DateTimeOffset at, DateTimeOffset now, CancellationToken ct)
    {
        var serial = CaConnector.SerialNumbers.Canonical(serialHex);
        await using var uow = await units.OpenForReadingAsync(ct);
        var certificate = await uow.Certificates.FindAsync(serial, ct);
        // A certificate with our serial but other bytes was not issued by our CA: perhaps a registered government one.
        if (certificate?.Der is null || (signerDer is not null && !certificate.Der.AsSpan().SequenceEqual(signerDer)))
            return (signerDer is null ? null : await government.ForSignerAsync(uow, signerDer, firmUbn, at, now, ct))
                ?? new VerificationFacts { SignatureValid = true, CheckedAt = now };

        var qualified = certificate.HolderNationalId is { } holder
            ? await uow.Qualification.BrokerMayActForAsync(holder, firmUbn, now, ct)
            : await uow.Qualification.OperatorActiveAsync(certificate.FirmUbn, ct);

        var (onCrl, held) = crl.Look(certificate.SerialHex);
        return new VerificationFacts
        {
            SignatureValid = true,
            SignerCertificateDer = certificate.Der,
            Certificate = certificate,
            Status = CertificateStatusRule.Decide(certificate, onCrl, held),
            Crl = held,
            Expired = DateTime.SpecifyKind(certificate.NotAfter, DateTimeKind.Utc) < at.UtcDateTime
                      || DateTime.SpecifyKind(certificate.NotBefore, DateTimeKind.Utc) > at.UtcDateTime,
            Registered = certificate.RegisteredFirmUbn == firmUbn,
            HolderQualified = qualified,
            CheckedAt = now,
        };
    }
}
