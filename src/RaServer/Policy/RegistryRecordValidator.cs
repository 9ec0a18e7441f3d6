using System.Text.RegularExpressions;
using RaServer.Domain;

namespace RaServer.Policy;

/// <summary>
/// Checks registry records before they are stored. Pure: no I/O, so references to other records (does the firm
/// exist?) are the store's and importer's business. An empty list means the record is valid.
/// </summary>
/// <remarks>
/// Box numbers: brokers use 3 characters, a slash and a 1-character suffix (207/0); forwarders use 3 characters
/// starting with O (OA1). The formats of the other kinds are not published, so for them a box number is optional
/// and only has to be 1–10 upper-case letters, digits, '/' or '-'.
/// </remarks>
public static partial class RegistryRecordValidator
{
    [GeneratedRegex(@"^[A-Z]{2}$")]
    private static partial Regex OfficeCode();

    [GeneratedRegex(@"^[0-9A-Z]{3}/[0-9A-Z]$")]
    private static partial Regex BrokerBoxNumber();

    [GeneratedRegex(@"^O[0-9A-Z]{2}$")]
    private static partial Regex ForwarderBoxNumber();

    [GeneratedRegex(@"^[0-9A-Z/\-]{1,10}$")]
    private static partial Regex OtherBoxNumber();

    public static IReadOnlyList<FieldProblem> Validate(OperatorRecord record)
    {
        var problems = new List<FieldProblem>();
        if (!TaiwanIdentifiers.IsValidUbn(record.Ubn))
            problems.Add(new("ubn", "must be an 8-digit Unified Business Number with a valid checksum"));
        RequireText(problems, "name", record.Name);
        if (!OperatorKinds.All.Contains(record.Kind ?? ""))
            problems.Add(new("kind", $"must be one of {string.Join(", ", OperatorKinds.All)}"));
        if (!OfficeCode().IsMatch(record.CustomsOfficeCode ?? ""))
            problems.Add(new("customs_office_code", "must be two upper-case letters, e.g. AA"));
        if (BoxNumberProblem(record.Kind, record.BoxNumber) is { } boxProblem)
            problems.Add(new("box_number", boxProblem));
        if (!OperatorStatuses.All.Contains(record.Status ?? ""))
            problems.Add(new("status", $"must be one of {string.Join(", ", OperatorStatuses.All)}"));
        return problems;
    }

    public static IReadOnlyList<FieldProblem> Validate(BrokerStaffRecord record)
    {
        var problems = new List<FieldProblem>();
        if (!TaiwanIdentifiers.IsValidPersonId(record.NationalId))
            problems.Add(new("national_id", "must be a national ID or resident number with a valid checksum"));
        RequireText(problems, "name", record.Name);
        RequireText(problems, "licence_number", record.LicenceNumber);
        if (!BrokerStaffStatuses.All.Contains(record.Status ?? ""))
            problems.Add(new("status", $"must be one of {string.Join(", ", BrokerStaffStatuses.All)}"));
        return problems;
    }

    public static IReadOnlyList<FieldProblem> Validate(MandateRecord record)
    {
        var problems = new List<FieldProblem>();
        if (!TaiwanIdentifiers.IsValidPersonId(record.NationalId))
            problems.Add(new("national_id", "must be a national ID or resident number with a valid checksum"));
        if (!TaiwanIdentifiers.IsValidUbn(record.FirmUbn))
            problems.Add(new("firm_ubn", "must be an 8-digit Unified Business Number with a valid checksum"));
        if (record.EndDate is { } end && end < record.StartDate)
            problems.Add(new("end_date", "must not be before start_date"));
        return problems;
    }

    private static string? BoxNumberProblem(string? kind, string? boxNumber) => kind switch
    {
        OperatorKinds.CustomsBroker when !BrokerBoxNumber().IsMatch(boxNumber ?? "") =>
            "a customs broker's box number is 3 letters or digits, '/', and one more, e.g. 207/0",
        OperatorKinds.Forwarder when !ForwarderBoxNumber().IsMatch(boxNumber ?? "") =>
            "a forwarder's box number is O followed by 2 letters or digits, e.g. OA1",
        OperatorKinds.CustomsBroker or OperatorKinds.Forwarder => null,
        _ when boxNumber is not null && !OtherBoxNumber().IsMatch(boxNumber) =>
            "when present, must be 1-10 upper-case letters, digits, '/' or '-'",
        _ => null,
    };

    private static void RequireText(List<FieldProblem> problems, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            problems.Add(new(field, "must not be empty"));
    }
}
