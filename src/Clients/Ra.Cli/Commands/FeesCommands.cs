using System.CommandLine;
using Customs.Ra.V1;
using Google.Protobuf.WellKnownTypes;
using Ra.Cli.Settings;

namespace Ra.Cli.Commands;

/// <summary>`ra fees confirm`: the fee system reports a paid slip (mTLS role fees).</summary>
public static class FeesCommands
{
    public static Command Create() => Actions.Group("fees", "The fee system: payment confirmations (role fees)", Confirm());

    private static Command Confirm()
    {
        var slip = new Argument<string>("SLIP") { Description = "Slip number as printed, check digit included" };
        var amount = new Option<long>("--amount") { Description = "Amount paid, whole NT$", Required = true, HelpName = "NTD" };
        var paidAt = Opt.Instant("--paid-at", "When the payer paid");
        var receipt = Opt.Text("--receipt", "The fee system's receipt reference (the idempotency key)", required: true, helpName: "REF");
        return new Command("confirm", "Confirms that a slip was paid; the application then awaits the applicant's key")
            .With(slip, amount, paidAt, receipt)
            .Runs(async (context, cancellation) =>
            {
                var client = new Payments.PaymentsClient(context.Channel(CallerRole.Fees));
                var answer = await client.ConfirmPaymentAsync(new ConfirmPaymentRequest
                {
                    SlipNumber = context.Parse.GetValue(slip)!,
                    AmountNtd = context.Parse.GetValue(amount),
                    PaidAt = Timestamp.FromDateTimeOffset(context.Parse.GetValue(paidAt)),
                    ReceiptReference = context.Parse.GetValue(receipt)!,
                }, context.Call(cancellation));
                context.Printer.Record(answer);
                return ExitCodes.Ok;
            });
    }
}
