using Customs.Ra.V1;
using Grpc.Core;
using RaServer.Domain;
using RaServer.Storage;
using RaServer.Workflow;
using RaServer.Policy;

namespace RaServer.Api;

/// <summary>The fee system (role fees, mTLS): confirms that a payment slip was paid.</summary>
public sealed class PaymentsService(UnitOfWorkFactory units, ApplicationWorkflow workflow, TimeProvider clock) : Payments.PaymentsBase
{
    // The fee system's clock may run a little ahead of ours; a payment dated further in the future is a bad request.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    public override async Task<ConfirmPaymentResponse> ConfirmPayment(ConfirmPaymentRequest request, ServerCallContext context)
    {
        var problems = new List<FieldProblem>();
        if (!SlipNumbers.IsWellFormed(request.SlipNumber))
            problems.Add(new("slip_number", "not a slip number (15 digits with a valid check digit)"));
        if (request.AmountNtd <= 0)
            problems.Add(new("amount_ntd", "the amount paid must be positive"));
        if (request.PaidAt is null)
            problems.Add(new("paid_at", "the time of payment is required"));
        else if (request.PaidAt.ToDateTimeOffset() > clock.GetUtcNow() + ClockSkew)
            problems.Add(new("paid_at", "the time of payment is in the future"));
        if (string.IsNullOrWhiteSpace(request.ReceiptReference))
            problems.Add(new("receipt_reference", "the receipt reference is required (it makes the confirmation idempotent)"));
        if (problems.Count > 0)
            throw new RaException(RaErrorKind.Invalid, "PAYMENT_INVALID", $"the payment confirmation is invalid: {problems[0].Description}", problems);

        var ct = context.CancellationToken;
        await using var uow = await units.BeginAsync(ct);
        var (slip, application) = await workflow.ConfirmPaymentAsync(
            uow, request.SlipNumber, request.AmountNtd, request.PaidAt!.ToDateTimeOffset(), request.ReceiptReference, ct);
        await uow.CommitAsync(ct);
        return new ConfirmPaymentResponse
        {
            PaymentSlip = ApplicationMapping.ToProto(slip),
            Application = ApplicationMapping.ToProto(application, slip),
        };
    }
}
