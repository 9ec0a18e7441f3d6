using System.Globalization;
using Customs.Ra.V1;
using RaServer.Domain;

namespace RaServer.Api;

/// <summary>
/// Proto registry records ↔ the store's records. Enum values become the short names the database holds;
/// an unset enum maps to an empty string so the validator reports it as a field problem.
/// </summary>
internal static class RegistryMapping
{
    public static OperatorRecord ToRecord(Operator o) => new(
        o.Ubn, o.Name, ShortNameOrEmpty(o.Kind), o.CustomsOfficeCode,
        string.IsNullOrEmpty(o.BoxNumber) ? null : o.BoxNumber, ShortNameOrEmpty(o.Status));

    public static BrokerStaffRecord ToRecord(BrokerStaff s) =>
        new(s.NationalId, s.Name, s.LicenceNumber, ShortNameOrEmpty(s.Status));

    /// <summary>Dates travel as "YYYY-MM-DD"; an unreadable one is a field problem, not an exception.</summary>
    public static (MandateRecord? Record, IReadOnlyList<FieldProblem> Problems) ToRecord(Mandate m, string prefix)
    {
        var problems = new List<FieldProblem>();
        var start = ParseDate(m.StartDate, $"{prefix}start_date", required: true, problems);
        var end = ParseDate(m.EndDate, $"{prefix}end_date", required: false, problems);
        return problems.Count > 0 || start is null
            ? (null, problems)
            : (new MandateRecord(m.NationalId, m.FirmUbn, start.Value, end), problems);
    }

    public static Operator ToProto(OperatorRecord r) => new()
    {
        Ubn = r.Ubn, Name = r.Name, Kind = ProtoEnums.Parse<OperatorKind>("OPERATOR_KIND_", r.Kind),
        CustomsOfficeCode = r.CustomsOfficeCode, BoxNumber = r.BoxNumber ?? "",
        Status = ProtoEnums.Parse<OperatorStatus>("OPERATOR_STATUS_", r.Status),
    };

    public static BrokerStaff ToProto(BrokerStaffRecord r) => new()
    {
        NationalId = r.NationalId, Name = r.Name, LicenceNumber = r.LicenceNumber,
        Status = ProtoEnums.Parse<BrokerStaffStatus>("BROKER_STAFF_STATUS_", r.Status),
    };

    public static Mandate ToProto(MandateRecord r) => new()
    {
        NationalId = r.NationalId, FirmUbn = r.FirmUbn,
        StartDate = r.StartDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        EndDate = r.EndDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>The store's field names ("ubn") placed under the request's field ("operator.ubn").</summary>
    public static IReadOnlyList<FieldProblem> Prefixed(IEnumerable<FieldProblem> problems, string prefix) =>
        problems.Select(p => p with { Field = prefix + p.Field }).ToList();

    /// <summary>A required "YYYY-MM-DD" date of a request, or INVALID_ARGUMENT naming the field.</summary>
    public static DateOnly ParseRequiredDate(string text, string field)
    {
        var problems = new List<FieldProblem>();
        return ParseDate(text, field, required: true, problems)
            ?? throw new RaException(RaErrorKind.Invalid, "DATE_INVALID", problems[0].Description, problems);
    }

    private static DateOnly? ParseDate(string text, string field, bool required, List<FieldProblem> problems)
    {
        if (string.IsNullOrEmpty(text))
        {
            if (required)
                problems.Add(new FieldProblem(field, "a date in the form YYYY-MM-DD is required"));
            return null;
        }
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return date;
        problems.Add(new FieldProblem(field, $"'{text}' is not a date in the form YYYY-MM-DD"));
        return null;
    }

    private static string ShortNameOrEmpty<TEnum>(TEnum value) where TEnum : struct, Enum =>
        Convert.ToInt32(value, CultureInfo.InvariantCulture) == 0 ? "" : ProtoEnums.ShortName(value);
}
