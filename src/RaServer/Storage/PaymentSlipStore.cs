using Dapper;
using Npgsql;
using RaServer.Policy;
using RaServer.Domain;

namespace RaServer.Storage;

/// <summary>Issues, reads, pays and voids payment slips inside the caller's transaction.</summary>
public sealed class PaymentSlipStore(NpgsqlConnection connection, NpgsqlTransaction? tx)
{
    public async Task<PaymentSlipRow> IssueAsync(
        Guid applicationId, long amountNtd, DateTimeOffset now,
        TimeSpan deadline, CancellationToken ct)
    {
        var serial = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT nextval('payment_slip_serial')", transaction: tx, cancellationToken: ct));
        var slip = new PaymentSlipRow
        {
            SlipNumber = SlipNumbers.Create(now, serial), ApplicationId = applicationId, AmountNtd = amountNtd,
            IssuedAt = now.UtcDateTime, DueAt = (now + deadline).UtcDateTime, Status = "ISSUED",
        };
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO payment_slips (slip_number, application_id, amount_ntd, issued_at, due_at, status)
            VALUES (@SlipNumber, @ApplicationId, @AmountNtd, @IssuedAt, @DueAt, 'ISSUED')
            """,
            slip, tx, cancellationToken: ct));
        return slip;
    }

    public Task<PaymentSlipRow?> ForApplicationAsync(Guid applicationId, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<PaymentSlipRow>(new CommandDefinition(
            $"SELECT {RowColumns.PaymentSlip} FROM payment_slips s WHERE s.application_id = @applicationId",
            new { applicationId }, tx, cancellationToken: ct));

    public Task<PaymentSlipRow?> LockAsync(string slipNumber, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<PaymentSlipRow>(new CommandDefinition(
            $"SELECT {RowColumns.PaymentSlip} FROM payment_slips s WHERE s.slip_number = @slipNumber FOR UPDATE",
            new { slipNumber }, tx, cancellationToken: ct));

    public Task<PaymentSlipRow?> ByReceiptAsync(string receiptReference, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<PaymentSlipRow>(new CommandDefinition(
            $"SELECT {RowColumns.PaymentSlip} FROM payment_slips s WHERE s.receipt_reference = @receiptReference",
            new { receiptReference }, tx, cancellationToken: ct));

    public Task MarkPaidAsync(
        string slipNumber, DateTimeOffset paidAt, long amountNtd,
        string receiptReference, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE payment_slips SET status = 'PAID', paid_at = @paidAt, paid_amount_ntd = @amountNtd, receipt_reference = @receiptReference
            WHERE slip_number = @slipNumber AND status = 'ISSUED'
            """,
            new { slipNumber, paidAt, amountNtd, receiptReference }, tx, cancellationToken: ct));

    public Task VoidAsync(Guid applicationId, DateTimeOffset now, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            "UPDATE payment_slips SET status = 'VOID', voided_at = @now WHERE application_id = @applicationId AND status = 'ISSUED'",
            new { applicationId, now }, tx, cancellationToken: ct));

    /// <summary>
    /// Locks up to <paramref name="batchSize"/> slips still unpaid after their due time, oldest first. Slips being
    /// confirmed right now are locked by the confirmation and skipped; the next sweep sees their outcome.
    /// </summary>
    public async Task<IReadOnlyList<PaymentSlipRow>> ClaimOverdueAsync(DateTimeOffset now, int batchSize, CancellationToken ct) =>
        (await connection.QueryAsync<PaymentSlipRow>(new CommandDefinition(
            $"""
            SELECT {RowColumns.PaymentSlip} FROM payment_slips s
            WHERE s.status = 'ISSUED' AND s.due_at < @now
            ORDER BY s.due_at LIMIT @batchSize
            FOR UPDATE SKIP LOCKED
            """,
            new { now, batchSize }, tx, cancellationToken: ct))).AsList();
}
