using RaServer.Domain;
using RaServer.Policy;
using RaServer.Storage;

namespace RaServer.Workflow;

/// <summary>
/// Broker staff changes entered by a customs office (after it checked the documents): hiring (a new mandate),
/// resignation (the mandate ends, and with it the certificate's registration with that firm), and loss of
/// qualification. A transfer is an end at the old firm plus a new mandate at the new one, in either order.
/// Each change is one unit of work with an event on the holder's certificates and an audit row.
/// </summary>
public sealed class BrokerStaffChanges(UnitOfWorkFactory units, CertificateRegistrations registrations, TimeProvider clock)
{
    public async Task<MandateRecord> RecordMandateAsync(MandateRecord mandate, string actor, CancellationToken ct)
    {
        if (RegistryRecordValidator.Validate(mandate) is { Count: > 0 } problems)
            throw new RaException(RaErrorKind.Invalid, RegistryReasons.InvalidRecord, $"the mandate is invalid: {problems[0].Description}",
                problems.Select(p => p with { Field = "mandate." + p.Field }).ToList());
        var now = clock.GetUtcNow();
        await using var uow = await units.BeginAsync(ct);
        var references = await uow.Staff.LockReferencesAsync(mandate, ct);
        if (!references.Staff)
            throw new RaException(RaErrorKind.FailedPrecondition, RegistryReasons.UnknownBrokerStaff, "the registry has no broker staff with this national ID",
                [new FieldProblem("mandate.national_id", "no such broker staff")]);
        if (!references.Firm)
            throw new RaException(RaErrorKind.FailedPrecondition, RegistryReasons.UnknownFirm, "the registry has no operator with this UBN",
                [new FieldProblem("mandate.firm_ubn", "no such operator")]);
        await uow.Staff.UpsertMandateAsync(mandate, now, ct);
        await uow.Certificates.RecordHolderEventAsync(mandate.NationalId, "MANDATE_RECORDED",
            $"mandate with {mandate.FirmUbn} from {mandate.StartDate:yyyy-MM-dd}", now, ct);
        await uow.Audit.RecordAcceptedAsync(actor, "RecordMandate",
            new { mandate.NationalId, mandate.FirmUbn, start = mandate.StartDate }, now, ct);
        await uow.CommitAsync(ct);
        return mandate;
    }

    /// <summary>Ends the open mandate of the broker at the firm on <paramref name="endDate"/>, and its registrations.</summary>
    public async Task<MandateRecord> EndMandateAsync(string nationalId, string firmUbn, DateOnly endDate, string actor, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var uow = await units.BeginAsync(ct);
        var start = await uow.Staff.EndOpenMandateAsync(nationalId, firmUbn, endDate, now, ct)
            ?? throw new RaException(RaErrorKind.FailedPrecondition, "NO_OPEN_MANDATE",
                "the broker has no open mandate with this firm that started on or before the end date");
        await registrations.EndForMandateAsync(uow, nationalId, firmUbn, now, ct);
        await uow.Certificates.RecordHolderEventAsync(nationalId, "MANDATE_ENDED", $"mandate with {firmUbn} ended {endDate:yyyy-MM-dd}", now, ct);
        await uow.Audit.RecordAcceptedAsync(actor, "EndMandate", new { nationalId, firmUbn, end = endDate }, now, ct);
        await uow.CommitAsync(ct);
        return new MandateRecord(nationalId, firmUbn, start, endDate);
    }

    /// <summary>The administration cancels the broker's registration: every later message he signs is flagged.</summary>
    public async Task<BrokerStaffRecord> DisqualifyAsync(string nationalId, DateOnly effective, string reason, string actor, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var uow = await units.BeginAsync(ct);
        var staff = await uow.Staff.DisqualifyAsync(nationalId, now, ct)
            ?? throw new RaException(RaErrorKind.NotFound, RegistryReasons.UnknownBrokerStaff, "the registry has no broker staff with this national ID",
                [new FieldProblem("national_id", "no such broker staff")]);
        await uow.Certificates.RecordHolderEventAsync(nationalId, "HOLDER_DISQUALIFIED", $"disqualified from {effective:yyyy-MM-dd}: {reason}", now, ct);
        await uow.Audit.RecordAcceptedAsync(actor, "DisqualifyBroker", new { nationalId, effective, reason }, now, ct);
        await uow.CommitAsync(ct);
        return staff;
    }
}
