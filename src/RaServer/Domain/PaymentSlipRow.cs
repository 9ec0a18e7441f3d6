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

    /// <summary>The date printed on slips and in e-mails: the due time's Taiwan calendar date.</summary>
    public DateOnly DueDate => TaiwanTime.DateOf(new DateTimeOffset(DateTime.SpecifyKind(DueAt, DateTimeKind.Utc)));
}
