using Dapper;
using Npgsql;
using RaServer.Policy;
using RaServer.Api;
using RaServer.Domain;
using RaServer.Workflow;

namespace RaServer.Storage;

/// <summary>Issues, reads, pays and voids payment slips inside the caller's transaction.</summary>
internal static class PaymentSlips
{
    public static async Task<PaymentSlipRow> IssueAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, Guid applicationId, long amountNtd, DateTimeOffset now,
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

    public static Task<PaymentSlipRow?> ForApplicationAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, Guid applicationId, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<PaymentSlipRow>(new CommandDefinition(
            $"SELECT {PaymentSlipRow.Columns} FROM payment_slips s WHERE s.application_id = @applicationId",
            new { applicationId }, tx, cancellationToken: ct));

    public static Task<PaymentSlipRow?> LockAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string slipNumber, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<PaymentSlipRow>(new CommandDefinition(
            $"SELECT {PaymentSlipRow.Columns} FROM payment_slips s WHERE s.slip_number = @slipNumber FOR UPDATE",
            new { slipNumber }, tx, cancellationToken: ct));

    public static Task<PaymentSlipRow?> ByReceiptAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string receiptReference, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<PaymentSlipRow>(new CommandDefinition(
            $"SELECT {PaymentSlipRow.Columns} FROM payment_slips s WHERE s.receipt_reference = @receiptReference",
            new { receiptReference }, tx, cancellationToken: ct));

    public static Task MarkPaidAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, string slipNumber, DateTimeOffset paidAt, long amountNtd,
        string receiptReference, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE payment_slips SET status = 'PAID', paid_at = @paidAt, paid_amount_ntd = @amountNtd, receipt_reference = @receiptReference
            WHERE slip_number = @slipNumber AND status = 'ISSUED'
            """,
            new { slipNumber, paidAt, amountNtd, receiptReference }, tx, cancellationToken: ct));

    public static Task VoidAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid applicationId, DateTimeOffset now, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            "UPDATE payment_slips SET status = 'VOID', voided_at = @now WHERE application_id = @applicationId AND status = 'ISSUED'",
            new { applicationId, now }, tx, cancellationToken: ct));

    /// <summary>The date printed on slips and in e-mails: the due time's Taiwan calendar date.</summary>
    public static DateOnly DueDateOf(PaymentSlipRow slip) =>
        TaiwanTime.DateOf(new DateTimeOffset(DateTime.SpecifyKind(slip.DueAt, DateTimeKind.Utc)));
}
