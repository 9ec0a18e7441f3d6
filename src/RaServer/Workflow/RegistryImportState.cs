using RaServer.Domain;
using RaServer.Policy;

namespace RaServer.Workflow;

/// <summary>
/// The importer's knowledge of the registry as the import proceeds: what the database held when first asked, plus
/// every record accepted so far. Pure — the importer fills it from the database and it decides batch by batch, in
/// input order, so "earlier in the same import" means exactly that.
/// </summary>
internal sealed class RegistryImportState
{
    private readonly HashSet<string> _resolvedFirms = new(StringComparer.Ordinal);
    private readonly HashSet<string> _knownFirms = new(StringComparer.Ordinal);
    private readonly HashSet<string> _resolvedStaff = new(StringComparer.Ordinal);
    private readonly HashSet<string> _resolvedLicences = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _licenceOfStaff = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _holderOfLicence = new(StringComparer.Ordinal);

    /// <summary>The identifiers in the batch whose state in the database is not yet known.</summary>
    public (string[] Ubns, string[] NationalIds, string[] Licences) Unresolved(IReadOnlyList<RegistryImportRecord> batch)
    {
        var ubns = new HashSet<string>(StringComparer.Ordinal);
        var nationalIds = new HashSet<string>(StringComparer.Ordinal);
        var licences = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in batch)
        {
            if (record.Operator is { } op)
                ubns.Add(op.Ubn);
            if (record.BrokerStaff is { } staff)
            {
                nationalIds.Add(staff.NationalId);
                licences.Add(staff.LicenceNumber);
            }
            if (record.Mandate is { } mandate)
            {
                ubns.Add(mandate.FirmUbn);
                nationalIds.Add(mandate.NationalId);
            }
        }
        ubns.ExceptWith(_resolvedFirms);
        nationalIds.ExceptWith(_resolvedStaff);
        licences.ExceptWith(_resolvedLicences);
        // Identifiers that fail validation are never looked up.
        return (ubns.Where(u => u is { Length: 8 }).ToArray(), nationalIds.Where(n => n is { Length: 10 }).ToArray(),
            licences.Where(l => !string.IsNullOrWhiteSpace(l)).ToArray());
    }

    /// <summary>Records what the database answered for the identifiers <see cref="Unresolved"/> asked about.</summary>
    public void AddDatabaseFacts(
        (string[] Ubns, string[] NationalIds, string[] Licences) asked,
        IEnumerable<string> existingUbns,
        IEnumerable<(string NationalId, string LicenceNumber)> existingStaff)
    {
        _resolvedFirms.UnionWith(asked.Ubns);
        _knownFirms.UnionWith(existingUbns);
        _resolvedStaff.UnionWith(asked.NationalIds);
        _resolvedLicences.UnionWith(asked.Licences);
        foreach (var (nationalId, licence) in existingStaff)
        {
            // This import's own changes are newer than the database's answer.
            if (_licenceOfStaff.ContainsKey(nationalId))
                continue;
            _licenceOfStaff[nationalId] = licence;
            _holderOfLicence.TryAdd(licence, nationalId);
            _resolvedStaff.Add(nationalId);
            _resolvedLicences.Add(licence);
        }
    }

    /// <summary>Decides every record of the batch in order and returns the results and the rows to write.</summary>
    public (RegistryImportResult[] Results, RegistryImportWrites Writes) Decide(int firstIndex, IReadOnlyList<RegistryImportRecord> batch)
    {
        var results = new RegistryImportResult[batch.Count];
        var writes = new RegistryImportWrites();
        for (var i = 0; i < batch.Count; i++)
        {
            var index = firstIndex + i;
            results[i] = batch[i] switch
            {
                { UnreadableProblems: { Count: > 0 } unreadable } =>
                    RegistryImportResult.Refuse(index, RegistryReasons.InvalidRecord, unreadable),
                { Operator: { } op, BrokerStaff: null, Mandate: null } => DecideOperator(index, op, writes),
                { Operator: null, BrokerStaff: { } staff, Mandate: null } => DecideStaff(index, staff, writes),
                { Operator: null, BrokerStaff: null, Mandate: { } mandate } => DecideMandate(index, mandate, writes),
                _ => RegistryImportResult.Refuse(index, RegistryReasons.EmptyRecord,
                    [new FieldProblem("record", "must hold exactly one of operator, broker_staff, mandate")]),
            };
        }
        return (results, writes);
    }

    private RegistryImportResult DecideOperator(int index, OperatorRecord record, RegistryImportWrites writes)
    {
        if (RegistryRecordValidator.Validate(record) is { Count: > 0 } problems)
            return RegistryImportResult.Refuse(index, RegistryReasons.InvalidRecord, problems);
        _knownFirms.Add(record.Ubn);
        writes.Operators.Put(record.Ubn, record);
        return RegistryImportResult.Accept(index);
    }

    private RegistryImportResult DecideStaff(int index, BrokerStaffRecord record, RegistryImportWrites writes)
    {
        if (RegistryRecordValidator.Validate(record) is { Count: > 0 } problems)
            return RegistryImportResult.Refuse(index, RegistryReasons.InvalidRecord, problems);
        if (_holderOfLicence.TryGetValue(record.LicenceNumber, out var holder) && holder != record.NationalId)
            return RegistryImportResult.Refuse(index, RegistryReasons.LicenceNumberTaken,
                [new FieldProblem("licence_number", "is already registered to another person")]);
        if (_licenceOfStaff.TryGetValue(record.NationalId, out var previous) && previous != record.LicenceNumber)
            _holderOfLicence.Remove(previous);
        _licenceOfStaff[record.NationalId] = record.LicenceNumber;
        _holderOfLicence[record.LicenceNumber] = record.NationalId;
        writes.BrokerStaff.Put(record.NationalId, record);
        return RegistryImportResult.Accept(index);
    }

    private RegistryImportResult DecideMandate(int index, MandateRecord record, RegistryImportWrites writes)
    {
        if (RegistryRecordValidator.Validate(record) is { Count: > 0 } problems)
            return RegistryImportResult.Refuse(index, RegistryReasons.InvalidRecord, problems);
        if (!_licenceOfStaff.ContainsKey(record.NationalId))
            return RegistryImportResult.Refuse(index, RegistryReasons.UnknownBrokerStaff,
                [new FieldProblem("national_id", "no such broker staff in the registry or earlier in this import")]);
        if (!_knownFirms.Contains(record.FirmUbn))
            return RegistryImportResult.Refuse(index, RegistryReasons.UnknownFirm,
                [new FieldProblem("firm_ubn", "no such operator in the registry or earlier in this import")]);
        writes.Mandates.Put((record.NationalId, record.FirmUbn, record.StartDate), record);
        return RegistryImportResult.Accept(index);
    }
}

/// <summary>The rows one batch writes, one per key.</summary>
internal sealed class RegistryImportWrites
{
    public LastWins<string, OperatorRecord> Operators { get; } = new();
    public LastWins<string, BrokerStaffRecord> BrokerStaff { get; } = new();
    public LastWins<(string, string, DateOnly), MandateRecord> Mandates { get; } = new();
}

/// <summary>
/// One row per key, the last record winning — a single INSERT ... ON CONFLICT DO UPDATE may not touch a row twice.
/// The row keeps the position of the key's first occurrence.
/// </summary>
internal sealed class LastWins<TKey, TRecord> where TKey : notnull
{
    private readonly Dictionary<TKey, int> _positions = new();
    private readonly List<TRecord> _rows = [];

    public IReadOnlyList<TRecord> Rows => _rows;

    public void Put(TKey key, TRecord record)
    {
        if (_positions.TryGetValue(key, out var position))
        {
            _rows[position] = record;
            return;
        }
        _positions[key] = _rows.Count;
        _rows.Add(record);
    }
}
