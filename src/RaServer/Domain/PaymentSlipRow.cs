using RaServer.Api;
using RaServer.Storage;
using RaServer.Workflow;
namespace RaServer.Domain;

/// <summary>One row of payment_slips.</summary>
public sealed record PaymentSlipRow
{
    public required string SlipNumber { get; init; }
    public required Guid ApplicationId { get; init; }
    public required long AmountNtd { get; init; }
    public required DateTime IssuedAt { get; init; }
    public required DateTime DueAt { get; init; }
    public required string Status { get; init; }
    public DateTime? PaidAt { get; init; }
    public string? ReceiptReference { get; init; }

    internal const string Columns = """
        s.slip_number AS SlipNumber, s.application_id AS ApplicationId, s.amount_ntd AS AmountNtd, s.issued_at AS IssuedAt,
        s.due_at AS DueAt, s.status AS Status, s.paid_at AS PaidAt, s.receipt_reference AS ReceiptReference
        """;
}
