using System.CommandLine;
using Customs.Ra.V1;
using Google.Protobuf;
using Ra.Cli.Failures;
using Ra.Cli.Settings;

namespace Ra.Cli.Commands;

/// <summary>`ra verify` and `ra cert-status`: other government systems check signed messages (mTLS role verifier).</summary>
public static class VerifyCommands
{
    public static Command Verify()
    {
        var message = new Argument<string>("FILE") { Description = "The message exactly as signed" };
        var signature = Opt.Text("--signature", "The detached CMS signature over it, DER (.p7s)", required: true, helpName: "FILE.p7s");
        var firm = Opt.Text("--firm", "UBN of the firm the message was sent for", required: true, helpName: "UBN");
        return new Command("verify", $"Verifies a signed customs message: signature, certificate status, registration, qualification (exit {ExitCodes.NotValid} unless VALID)")
            .With(message, signature, firm)
            .Runs(async (context, cancellation) =>
            {
                var request = new VerifySignedMessageRequest
                {
                    Message = ByteString.CopyFrom(Read(context.Parse.GetValue(message)!, "message")),
                    CmsSignature = ByteString.CopyFrom(Read(context.Parse.GetValue(signature)!, "signature")),
                    FirmUbn = context.Parse.GetValue(firm)!,
                };
                var client = new Verification.VerificationClient(context.Channel(CallerRole.Verifier));
                var answer = await client.VerifySignedMessageAsync(request, context.Call(cancellation));
                context.Printer.Record(answer);
                return answer.Verdict == VerificationVerdict.Valid ? ExitCodes.Ok : ExitCodes.NotValid;
            });
    }

    public static Command CertStatus()
    {
        var serial = new Argument<string>("SERIAL") { Description = "Certificate serial number, hex" };
        var firm = Opt.Text("--firm", "UBN of the firm the certificate is used for", required: true, helpName: "UBN");
        return new Command("cert-status", $"Reports a customs certificate's status by serial, with its evidence (exit {ExitCodes.NotValid} unless VALID)")
            .With(serial, firm)
            .Runs(async (context, cancellation) =>
            {
                var client = new Verification.VerificationClient(context.Channel(CallerRole.Verifier));
                var answer = await client.GetCertificateStatusAsync(new GetCertificateStatusRequest
                {
                    SerialHex = context.Parse.GetValue(serial)!, FirmUbn = context.Parse.GetValue(firm)!,
                }, context.Call(cancellation));
                context.Printer.Record(answer);
                return answer.Verdict == VerificationVerdict.Valid ? ExitCodes.Ok : ExitCodes.NotValid;
            });
    }

    private static byte[] Read(string path, string what) =>
        File.Exists(path) ? File.ReadAllBytes(path) : throw CliFailure.Local($"{what} file {path} does not exist");
}
