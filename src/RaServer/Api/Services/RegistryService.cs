using System.Runtime.CompilerServices;
using Customs.Ra.V1;
using Grpc.Core;
using RaServer.Domain;
using RaServer.Policy;
using RaServer.Storage;
using RaServer.Workflow;

namespace RaServer.Api;

/// <summary>
/// The customs registry feed (role registry): keeps the RA's copy of operators, licensed broker staff and
/// their mandates current, one record at a time or as a client stream with a result per record.
/// </summary>
public sealed class RegistryService(RegistryStore store, RegistryImporter importer) : Customs.Ra.V1.Registry.RegistryBase
{
    public override async Task<UpsertOperatorResponse> UpsertOperator(UpsertOperatorRequest request, ServerCallContext context)
    {
        var record = RegistryMapping.ToRecord(request.Operator ?? Required<Operator>("operator"));
        ThrowIfInvalid(RegistryRecordValidator.Validate(record), "operator.");
        var created = await store.UpsertOperatorAsync(record, context.CancellationToken);
        return new UpsertOperatorResponse { Operator = RegistryMapping.ToProto(record), Created = created };
    }

    public override async Task<UpsertBrokerStaffResponse> UpsertBrokerStaff(UpsertBrokerStaffRequest request, ServerCallContext context)
    {
        var record = RegistryMapping.ToRecord(request.BrokerStaff ?? Required<BrokerStaff>("broker_staff"));
        ThrowIfInvalid(RegistryRecordValidator.Validate(record), "broker_staff.");
        var created = await store.UpsertBrokerStaffAsync(record, context.CancellationToken);
        return new UpsertBrokerStaffResponse { BrokerStaff = RegistryMapping.ToProto(record), Created = created };
    }

    public override async Task<UpsertMandateResponse> UpsertMandate(UpsertMandateRequest request, ServerCallContext context)
    {
        var (record, problems) = RegistryMapping.ToRecord(request.Mandate ?? Required<Mandate>("mandate"), "mandate.");
        ThrowIfInvalid(problems, "");
        ThrowIfInvalid(RegistryRecordValidator.Validate(record!), "mandate.");
        var created = await store.UpsertMandateAsync(record!, context.CancellationToken);
        return new UpsertMandateResponse { Mandate = RegistryMapping.ToProto(record!), Created = created };
    }

    public override async Task<ImportRegistryResponse> ImportRegistry(
        IAsyncStreamReader<ImportRegistryRequest> requestStream, ServerCallContext context)
    {
        var response = new ImportRegistryResponse();
        await foreach (var result in importer.ImportAsync(ReadRecords(requestStream, context.CancellationToken), context.CancellationToken))
        {
            var outcome = new RecordResult { Index = result.Index };
            if (result.Accepted)
            {
                outcome.Outcome = RecordOutcome.Accepted;
                response.AcceptedCount++;
            }
            else
            {
                outcome.Outcome = RecordOutcome.Rejected;
                outcome.Reason = result.Reason;
                outcome.FieldViolations.AddRange(result.Problems.Select(p =>
                    new RecordFieldViolation { Field = p.Field, Description = p.Description }));
                response.RejectedCount++;
            }
            response.Results.Add(outcome);
        }
        return response;
    }

    /// <summary>Turns the stream into importer records; one that cannot even be read is passed on as unreadable.</summary>
    private static async IAsyncEnumerable<RegistryImportRecord> ReadRecords(
        IAsyncStreamReader<ImportRegistryRequest> stream, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var request in stream.ReadAllAsync(ct))
        {
            // The interceptor leaves this stream's messages to us, so that a malformed one is its record's result.
            if (UnreadableRequests.IsPlaceholder(request))
            {
                yield return RegistryImportRecord.Unreadable([new FieldProblem("", "not a valid ImportRegistryRequest")]);
                continue;
            }
            if (RequestForm.ViolationsOf(request) is { Count: > 0 } malformed)
            {
                yield return RegistryImportRecord.Unreadable(malformed.Select(v => new FieldProblem(v.Field, v.Description)).ToList());
                continue;
            }
            yield return request.RecordCase switch
            {
                ImportRegistryRequest.RecordOneofCase.Operator => RegistryImportRecord.Of(RegistryMapping.ToRecord(request.Operator)),
                ImportRegistryRequest.RecordOneofCase.BrokerStaff => RegistryImportRecord.Of(RegistryMapping.ToRecord(request.BrokerStaff)),
                ImportRegistryRequest.RecordOneofCase.Mandate => MandateRecordOf(request.Mandate),
                _ => new RegistryImportRecord(null, null, null),
            };
        }
    }

    private static RegistryImportRecord MandateRecordOf(Mandate mandate)
    {
        var (record, problems) = RegistryMapping.ToRecord(mandate, "");
        return record is null ? RegistryImportRecord.Unreadable(problems) : RegistryImportRecord.Of(record);
    }

    private static void ThrowIfInvalid(IReadOnlyList<FieldProblem> problems, string prefix)
    {
        if (problems.Count > 0)
            throw new RaException(RaErrorKind.Invalid, RegistryReasons.InvalidRecord,
                $"the registry record is invalid: {problems[0].Description}", RegistryMapping.Prefixed(problems, prefix));
    }

    private static T Required<T>(string field) =>
        throw RaException.InvalidField(RegistryReasons.InvalidRecord, field, $"{field} is required");
}
