using System.Security.Cryptography.X509Certificates;
using Customs.Ra.V1;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Health.V1;
using Ra.Client;
using Ra.Client.Signing;

// `ra`: a small command line over the C# SDK, for trying the RA by hand.
// ra --server URL --ca CA.crt [--client-p12 F.p12] [--sign-p12 F.p12] [--password P] COMMAND ARGS...
var options = CliOptions.Parse(args);
if (options.Command is null)
{
    Console.Error.WriteLine("""
        usage: ra --server https://127.0.0.1:5443 --ca .ra-dev/pki/tls/ca.crt [options] COMMAND
          info                                     GetRaInfo
          health                                   grpc.health.v1 Check
          registry-upsert-operator UBN NAME OFFICE BOX [KIND]   (needs --client-p12 clients/registry.p12)
          list-applications UBN NAME               signed ListApplications (needs --sign-p12 identities/company.p12)
        options: --client-p12 (mTLS), --sign-p12 (request signing), --password (default changeit)
        """);
    return 2;
}

using var channel = RaChannel.Create(new Uri(options.Server),
    options.Ca is null ? null : X509CertificateLoader.LoadCertificateFromFile(options.Ca),
    options.ClientP12 is null ? null : X509CertificateLoader.LoadPkcs12FromFile(options.ClientP12, options.Password));
try
{
    IMessage answer = options.Command switch
    {
        "info" => await new RegistrationAuthority.RegistrationAuthorityClient(channel).GetRaInfoAsync(new GetRaInfoRequest()),
        "health" => await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest()),
        "registry-upsert-operator" => await new Registry.RegistryClient(channel).UpsertOperatorAsync(new UpsertOperatorRequest
        {
            Operator = new Operator
            {
                Ubn = options.Arg(0), Name = options.Arg(1), CustomsOfficeCode = options.Arg(2), BoxNumber = options.Arg(3),
                Kind = options.Args.Count > 4 ? Enum.Parse<OperatorKind>(options.Arg(4), ignoreCase: true) : OperatorKind.CustomsBroker,
                Status = OperatorStatus.Active,
            },
        }),
        "list-applications" => await new RegistrationAuthority.RegistrationAuthorityClient(channel).ListApplicationsAsync(
            new ListApplicationsRequest
            {
                Envelope = options.Signer().Sign(new ListApplicationsPayload
                {
                    Header = RequestSigner.OrganizationHeader(options.Arg(0), options.Arg(1)),
                }),
            }),
        _ => throw new ArgumentException($"unknown command {options.Command}"),
    };
    Console.WriteLine(JsonFormatter.Default.Format(answer));
    return 0;
}
catch (RpcException e)
{
    Console.Error.WriteLine($"{e.StatusCode}: {e.Status.Detail}");
    foreach (var entry in e.Trailers)
        if (entry.Key == "grpc-status-details-bin")
            Console.Error.WriteLine(ErrorDetails.Format(Google.Rpc.Status.Parser.ParseFrom(entry.ValueBytes)));
    return 1;
}

/// <summary>Prints google.rpc.Status with its ErrorInfo and BadRequest details readable.</summary>
internal static class ErrorDetails
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithTypeRegistry(
        Google.Protobuf.Reflection.TypeRegistry.FromMessages(Google.Rpc.ErrorInfo.Descriptor, Google.Rpc.BadRequest.Descriptor)));

    public static string Format(Google.Rpc.Status status) => Formatter.Format(status);
}

internal sealed record CliOptions(string Server, string? Ca, string? ClientP12, string? SignP12, string Password, string? Command, List<string> Args)
{
    public string Arg(int i) => i < Args.Count ? Args[i] : throw new ArgumentException($"{Command} needs more arguments");

    public RequestSigner Signer() => new(X509CertificateLoader.LoadPkcs12FromFile(
        SignP12 ?? throw new ArgumentException("--sign-p12 is required to sign requests"), Password));

    public static CliOptions Parse(string[] args)
    {
        string server = "https://127.0.0.1:5443", password = "changeit";
        string? ca = null, clientP12 = null, signP12 = null, command = null;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--server": server = args[++i]; break;
                case "--ca": ca = args[++i]; break;
                case "--client-p12": clientP12 = args[++i]; break;
                case "--sign-p12": signP12 = args[++i]; break;
                case "--password": password = args[++i]; break;
                default:
                    if (command is null) command = args[i]; else rest.Add(args[i]);
                    break;
            }
        }
        return new CliOptions(server, ca, clientP12, signP12, password, command, rest);
    }
}
