using Customs.Ra.V1;
using Google.Protobuf.Reflection;

namespace RaServer.Tests.Contract;

/// <summary>
/// Pins the published service and RPC names and the signed-request shape, so a rename or a
/// reshaped envelope is caught here rather than by partner apps whose generated SDKs break.
/// </summary>
public class ServiceDescriptorTests
{
    public static TheoryData<string, string[]> Services => new()
    {
        {
            RegistrationAuthority.Descriptor.FullName,
            ["GetRaInfo", "SubmitApplication", "GetApplication", "ListApplications", "WatchApplication",
             "GetPaymentSlip", "SubmitCsr", "DownloadCertificate", "RegisterCertificate", "ListCertificates"]
        },
        {
            CustomsOffice.Descriptor.FullName,
            ["IntakePaperApplication", "RejectApplication", "RecordMandate", "EndMandate", "DisqualifyBroker"]
        },
        {
            Customs.Ra.V1.Registry.Descriptor.FullName,
            ["UpsertOperator", "UpsertBrokerStaff", "UpsertMandate", "ImportRegistry"]
        },
        { Payments.Descriptor.FullName, ["ConfirmPayment"] },
        { Verification.Descriptor.FullName, ["VerifySignedMessage", "GetCertificateStatus"] },
    };

    private static readonly ServiceDescriptor[] AllServices =
    [
        RegistrationAuthority.Descriptor, CustomsOffice.Descriptor, Customs.Ra.V1.Registry.Descriptor,
        Payments.Descriptor, Verification.Descriptor,
    ];

    [Theory]
    [MemberData(nameof(Services))]
    public void Each_service_offers_the_published_rpcs(string serviceFullName, string[] rpcNames)
    {
        var service = AllServices.Single(s => s.FullName == serviceFullName);
        var offered = service.Methods.Select(m => m.Name).ToHashSet();

        var missing = rpcNames.Where(name => !offered.Contains(name)).ToArray();

        Assert.True(missing.Length == 0, $"{serviceFullName} lacks {string.Join(", ", missing)}.");
    }

    [Fact]
    public void Services_live_in_the_customs_ra_v1_package()
    {
        Assert.All(AllServices, s => Assert.Equal("customs.ra.v1", s.File.Package));
    }

    [Fact]
    public void Watch_application_streams_from_the_server_and_import_registry_streams_from_the_client()
    {
        var watch = RegistrationAuthority.Descriptor.FindMethodByName("WatchApplication");
        var import = Customs.Ra.V1.Registry.Descriptor.FindMethodByName("ImportRegistry");

        Assert.True(watch.IsServerStreaming && !watch.IsClientStreaming, "WatchApplication must be server-streaming only.");
        Assert.True(import.IsClientStreaming && !import.IsServerStreaming, "ImportRegistry must be client-streaming only.");
    }

    [Fact]
    public void Every_applicant_rpc_except_get_ra_info_takes_only_a_signed_envelope()
    {
        var signed = RegistrationAuthority.Descriptor.Methods.Where(m => m.Name != "GetRaInfo").ToList();

        Assert.NotEmpty(signed);
        Assert.All(signed, method =>
        {
            var field = Assert.Single(method.InputType.Fields.InFieldNumberOrder());
            Assert.Equal(("envelope", 1, SignedEnvelope.Descriptor), (field.Name, field.FieldNumber, field.MessageType));
        });
    }

    [Fact]
    public void Every_signed_payload_starts_with_the_request_header()
    {
        var signed = RegistrationAuthority.Descriptor.Methods.Where(m => m.Name != "GetRaInfo").ToList();

        Assert.All(signed, method =>
        {
            // The payload message is named after the RPC; the SDK's signing helper relies on it.
            var payload = method.File.FindTypeByName<MessageDescriptor>(method.Name + "Payload");
            Assert.True(payload is not null, $"{method.Name} has no {method.Name}Payload message.");
            var header = payload.FindFieldByNumber(1);
            Assert.Equal(("header", RequestHeader.Descriptor), (header?.Name, header?.MessageType));
        });
    }
}
