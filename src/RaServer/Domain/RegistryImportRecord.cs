using RaServer.Policy;

namespace RaServer.Domain;

/// <summary>
/// One record of a registry import: exactly one of the three kinds is set (it mirrors a proto oneof), or
/// <see cref="UnreadableProblems"/> says why the wire record could not even become one (e.g. a malformed date).
/// </summary>
public sealed record RegistryImportRecord(
    OperatorRecord? Operator, BrokerStaffRecord? BrokerStaff, MandateRecord? Mandate,
    IReadOnlyList<FieldProblem>? UnreadableProblems = null)
{
    public static RegistryImportRecord Unreadable(IReadOnlyList<FieldProblem> problems) => new(null, null, null, problems);

    public static RegistryImportRecord Of(OperatorRecord record) => new(record, null, null);
    public static RegistryImportRecord Of(BrokerStaffRecord record) => new(null, record, null);
    public static RegistryImportRecord Of(MandateRecord record) => new(null, null, record);
}

/// <summary>
/// What became of one import record, by its zero-based position in the input. Accepted means committed.
/// A refused record carries a reason code from <see cref="RegistryReasons"/> and, for invalid input, the field problems.
/// </summary>
public sealed record RegistryImportResult(int Index, string? Reason, IReadOnlyList<FieldProblem> Problems)
{
    public bool Accepted => Reason is null;

    public static RegistryImportResult Accept(int index) => new(index, null, []);

    public static RegistryImportResult Refuse(int index, string reason, IReadOnlyList<FieldProblem> problems) => new(index, reason, problems);
}
