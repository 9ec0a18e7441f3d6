using RaServer.Domain;
using RaServer.Storage;

namespace RaServer.Workflow;

/// <summary>
/// Registering certificates for Single Window messaging, and ending registrations when a mandate ends. Each
/// change writes a certificate event in the caller's unit of work.
/// </summary>
public sealed class CertificateRegistrations(TimeProvider clock)
{
    /// <summary>
    /// Registers the certificate for <paramref name="firmUbn"/>. ORGANIZATION: only the operator itself. PERSONAL:
    /// a firm the broker currently has a mandate with (the firm signs), or the broker himself; an earlier
    /// registration for another firm ends. Registering again for the same firm changes nothing.
    /// </summary>
    public async Task<CertificateRow> RegisterAsync(
        UnitOfWork uow, string serialHex, string firmUbn, ApplicantKey applicant, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // Someone else's serial gets exactly the answer of an unknown one, so serials cannot be probed: only after
        // the certificate is known to concern the applicant do the answers say anything about it.
        var certificate = await uow.Certificates.LockAsync(serialHex, ct);
        if (certificate is null || !await ConcernsAsync(uow, certificate, applicant, now, ct))
            throw new RaException(RaErrorKind.NotFound, "CERTIFICATE_NOT_FOUND", "the applicant has no certificate with this serial");

        var mayAct = applicant.Ubn is not null
            ? applicant.Ubn == firmUbn
            : applicant.NationalId is not null && applicant.NationalId == certificate.HolderNationalId;
        if (!mayAct)
            throw new RaException(RaErrorKind.PermissionDenied, "REGISTRANT_NOT_FIRM", "a certificate is registered by the firm it is registered for, or by its holder",
                [new FieldProblem("firm_ubn", "must be the signing firm")]);
        if (certificate.State != "ACTIVE" || DateTime.SpecifyKind(certificate.NotAfter, DateTimeKind.Utc) <= now.UtcDateTime)
            throw new RaException(RaErrorKind.FailedPrecondition, "CERTIFICATE_NOT_ACTIVE", $"only an active certificate can be registered; this one is {certificate.State}");

        if (certificate.Kind == "ORGANIZATION")
        {
            if (certificate.FirmUbn != firmUbn)
                throw new RaException(RaErrorKind.FailedPrecondition, "FIRM_NOT_HOLDER", "an organization certificate is registered for its own operator only",
                    [new FieldProblem("firm_ubn", $"must be {certificate.FirmUbn}")]);
        }
        else
        {
            var qualified = await uow.Qualification.BrokerMayActForAsync(certificate.HolderNationalId, firmUbn, now, ct);
            if (!qualified)
                throw new RaException(RaErrorKind.FailedPrecondition, "NO_CURRENT_MANDATE",
                    "the holder is not a qualified broker with a current mandate at this firm", [new FieldProblem("firm_ubn", "no current mandate")]);
        }

        if (certificate.RegisteredFirmUbn == firmUbn)
            return certificate;
        if (certificate.RegisteredFirmUbn is { } previous)
            await uow.Certificates.EndRegistrationAsync(serialHex, "REPLACED", $"registration for {previous} ended: registered for {firmUbn}", now, ct);
        await uow.Certificates.RegisterAsync(serialHex, firmUbn, now, ct);
        return await uow.Certificates.GetAsync(serialHex, ct);
    }

    /// <summary>
    /// Whether the certificate is the applicant's business: its holder or owner, the firm it is for, or (for a
    /// broker's certificate) a firm he currently has a mandate with.
    /// </summary>
    private static async Task<bool> ConcernsAsync(UnitOfWork uow, CertificateRow certificate, ApplicantKey applicant, DateTimeOffset now, CancellationToken ct)
    {
        if (applicant.NationalId is { } id)
            return id == certificate.HolderNationalId || id == certificate.OwnerNationalId;
        if (applicant.Ubn is not { } ubn)
            return false;
        if (ubn == certificate.OwnerUbn || ubn == certificate.FirmUbn)
            return true;
        return certificate.Kind != "ORGANIZATION"
            && await uow.Qualification.BrokerMayActForAsync(certificate.HolderNationalId, ubn, now, ct);
    }

    /// <summary>
    /// A renewed certificate is in use the moment it is issued, as the manual says of a renewal without a change of
    /// directory: it takes over the current registration of the certificate it renews, for the same firm, in the
    /// unit of work that stores it. Nothing moves when the old one is not registered, is another holder's, or (for a
    /// broker) the mandate with that firm is no longer current; the renewed one then registers as a new one would.
    /// </summary>
    public async Task TakeOverAsync(UnitOfWork uow, string renewedSerialHex, CertificateRow successor, DateTimeOffset now, CancellationToken ct)
    {
        var renewed = await uow.Certificates.LockAsync(renewedSerialHex, ct);
        if (renewed?.RegisteredFirmUbn is not { } firm || !SameHolder(renewed, successor))
            return;
        if (successor.Kind != "ORGANIZATION" && !await uow.Qualification.BrokerMayActForAsync(successor.HolderNationalId, firm, now, ct))
            return;
        await uow.Certificates.EndRegistrationAsync(renewedSerialHex, "RENEWED",
            $"registration for {firm} taken over by the renewal {successor.SerialHex}", now, ct);
        await uow.Certificates.RegisterAsync(successor.SerialHex, firm, now, ct);
    }

    private static bool SameHolder(CertificateRow a, CertificateRow b) =>
        a.Kind == b.Kind && a.FirmUbn == b.FirmUbn && a.HolderNationalId == b.HolderNationalId;

    /// <summary>Ends the registrations of a broker's certificates with one firm (resignation, the old side of a transfer).</summary>
    public async Task EndForMandateAsync(UnitOfWork uow, string nationalId, string firmUbn, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var serial in await uow.Certificates.LockRegisteredForFirmAsync(nationalId, firmUbn, ct))
            await uow.Certificates.EndRegistrationAsync(serial, "MANDATE_ENDED", $"mandate with {firmUbn} ended: registration ended", now, ct);
    }
}
