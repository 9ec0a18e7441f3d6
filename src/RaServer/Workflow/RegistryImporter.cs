using System.Runtime.CompilerServices;
using RaServer.Domain;
using RaServer.Storage;

namespace RaServer.Workflow;

/// <summary>
/// Bulk load of the registry feed. Records are validated and their references resolved batch by batch (one query
/// for what the database already holds, then pure decisions in input order), and each batch's good records are
/// written in one transaction with one array-parameter upsert per table. A bad record is reported and never costs
/// the good ones their place; results come back in input order once their batch has committed.
/// </summary>
/// <remarks>
/// A concurrent writer that changes the registry between a batch's lookup and its write can make that batch fail
/// as a whole (for example a licence number taken meanwhile); the exception then ends the import, and the
/// batches already reported as accepted stay committed.
/// </remarks>
public sealed class RegistryImporter(UnitOfWorkFactory units, TimeProvider time, int batchSize = 5_000)
{
    public async IAsyncEnumerable<RegistryImportResult> ImportAsync(
        IAsyncEnumerable<RegistryImportRecord> records, [EnumeratorCancellation] CancellationToken ct)
    {
        var state = new RegistryImportState();
        var batch = new List<RegistryImportRecord>(batchSize);
        var firstIndex = 0;
        await foreach (var record in records.WithCancellation(ct))
        {
            batch.Add(record);
            if (batch.Count < batchSize)
                continue;
            foreach (var result in await ImportBatchAsync(state, firstIndex, batch, ct))
                yield return result;
            firstIndex += batch.Count;
            batch.Clear();
        }
        if (batch.Count > 0)
            foreach (var result in await ImportBatchAsync(state, firstIndex, batch, ct))
                yield return result;
    }

    private async Task<RegistryImportResult[]> ImportBatchAsync(
        RegistryImportState state, int firstIndex, List<RegistryImportRecord> batch, CancellationToken ct)
    {
        await using var uow = await units.BeginAsync(ct);

        var asked = state.Unresolved(batch);
        var existingUbns = await uow.RegistryImport.ExistingFirmsAsync(asked.Ubns, ct);
        var existingStaff = await uow.RegistryImport.ExistingStaffAsync(asked.NationalIds, asked.Licences, ct);
        state.AddDatabaseFacts(asked, existingUbns, existingStaff);

        var (results, writes) = state.Decide(firstIndex, batch);
        var now = time.GetUtcNow();
        await uow.RegistryImport.UpsertOperatorsAsync(writes.Operators.Rows, now, ct);
        await uow.RegistryImport.UpsertBrokerStaffAsync(writes.BrokerStaff.Rows, now, ct);
        await uow.RegistryImport.UpsertMandatesAsync(writes.Mandates.Rows, now, ct);
        await uow.CommitAsync(ct);
        return results;
    }
}
