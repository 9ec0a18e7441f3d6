using Microsoft.Extensions.Options;

using RaServer.Domain;

namespace RaServer.Policy;

/// <summary>
/// Refuses a fee schedule that would fail a submission: without an entry for every kind and paid service type, the
/// application that needs it could be given no payment slip, nor its certificate a validity.
/// </summary>
internal sealed class FeeOptionsValidator : IValidateOptions<FeeOptions>
{
    private static readonly string[] PaidServiceTypes = FeeSchedule.ServiceTypes.Where(FeeSchedule.RequiresPayment).ToArray();

    public ValidateOptionsResult Validate(string? name, FeeOptions options)
    {
        var problems = new OptionsProblems(FeeOptions.Section);
        // A slip is due within days, not years; the bound also keeps the due date in range.
        problems.Between(options.PaymentDeadlineDays, 1, 365, nameof(options.PaymentDeadlineDays));
        for (var i = 0; i < options.Schedule.Count; i++)
        {
            var entry = options.Schedule[i];
            problems.OneOf(entry.Kind, FeeSchedule.Kinds, $"Schedule:{i}:Kind");
            problems.OneOf(entry.ServiceType, PaidServiceTypes, $"Schedule:{i}:ServiceType");
            // The database refuses a slip of 0 NTD; a free service is one that needs no entry.
            problems.Positive(entry.AmountNtd, $"Schedule:{i}:AmountNtd");
            // Beyond any CA's limit, and keeps the certificate's notAfter in range.
            problems.Between(entry.ValidityYears, 1, 100, $"Schedule:{i}:ValidityYears");
        }
        foreach (var kind in FeeSchedule.Kinds)
        {
            foreach (var serviceType in PaidServiceTypes)
            {
                var entries = options.Schedule.Count(e => e.Kind == kind && e.ServiceType == serviceType);
                problems.Check(entries > 0, "Schedule", $"has no entry for {kind} {serviceType}.");
                // Only the first would ever be used; a second is a mistake in one of them.
                problems.Check(entries < 2, "Schedule", $"has {entries} entries for {kind} {serviceType}; it needs one.");
            }
        }
        return problems.Result();
    }
}
