using Customs.Ra.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Ra.Client.Signing;
using RaServer.Tests.Harness;

namespace RaServer.Tests.InputForm;

/// <summary>
/// The malformed requests issue 9 saw answered INTERNAL or UNKNOWN, through the public API of a real server: each is
/// INVALID_ARGUMENT with a declared reason and a field violation, leaves one audit row, and stores nothing else.
/// </summary>
public sealed class MalformedRequestTests(SharedRaServer shared) : IClassFixture<SharedRaServer>, IAsyncLifetime
{
    private readonly RaServerHarness server = shared.Server;
    private WorkflowScenario scenario = null!;

    /// <summary>Every table a refused request could have written to, besides the audit log.</summary>
    private static readonly string[] StoredTables =
    [
        "operators", "broker_staff", "mandates", "signed_requests", "applications", "application_events",
        "mail_outbox", "certificates", "payment_slips", "ca_requests", "certificate_registrations",
    ];

    public async Task InitializeAsync() => scenario = await shared.BeginTestAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private async Task AssertRefusedAsync(string reason, string field, Func<Task> call)
    {
        var e = await RpcAssert.RefusedAsync(StatusCode.InvalidArgument, reason, call);
        Assert.Contains(field, RpcAssert.ViolatedFields(e));
        Assert.True(e.Status.Detail.Length < 500, "the refusal message must not quote the input");
        Assert.Equal([reason], await server.RefusalReasonsAsync());
        foreach (var table in StoredTables)
            Assert.True(await server.CountAsync(table) == 0, $"a refused request stored a row in {table}");
    }

    private static Operator ValidOperator() => new()
    {
        Ubn = "04595257", Name = "新測試報關有限公司", Kind = OperatorKind.CustomsBroker, CustomsOfficeCode = "CA",
        BoxNumber = "301/0", Status = OperatorStatus.Active,
    };

    [Fact]
    public async Task A_body_that_does_not_parse_is_refused_as_malformed_after_authorization()
    {
        // Field 1 (operator) as length-delimited, with a length running past the end of the body.
        var bytes = new byte[] { 0x0A, 0x7F, 0x01 };
        var method = new Method<byte[], byte[]>(MethodType.Unary, Customs.Ra.V1.Registry.Descriptor.FullName, "UpsertOperator",
            Marshallers.Create(b => b, b => b), Marshallers.Create(b => b, b => b));
        var registry = server.Channel(RaServerHarness.Client("registry")).CreateCallInvoker();

        await AssertRefusedAsync("REQUEST_MALFORMED", "", () => registry.AsyncUnaryCall(method, null, new CallOptions(), bytes).ResponseAsync);

        // Without a client certificate the same body is refused for the missing certificate first.
        var anonymous = server.Channel().CreateCallInvoker();
        await RpcAssert.RefusedAsync(StatusCode.Unauthenticated, "CLIENT_CERT_REQUIRED",
            () => anonymous.AsyncUnaryCall(method, null, new CallOptions(), bytes).ResponseAsync);
    }

    [Fact]
    public async Task An_operator_kind_outside_the_enum_is_refused()
    {
        var record = ValidOperator();
        record.Kind = (OperatorKind)42;
        await AssertRefusedAsync("ENUM_VALUE_UNDEFINED", "operator.kind",
            () => scenario.Registry.UpsertOperatorAsync(new UpsertOperatorRequest { Operator = record }).ResponseAsync);
    }

    [Fact]
    public async Task A_string_with_U0000_is_refused_before_it_reaches_postgresql()
    {
        var record = ValidOperator();
        record.Name = "新測試\0報關";
        await AssertRefusedAsync("FIELD_CONTAINS_NUL", "operator.name",
            () => scenario.Registry.UpsertOperatorAsync(new UpsertOperatorRequest { Operator = record }).ResponseAsync);
    }

    [Fact]
    public async Task A_seven_thousand_character_field_is_refused_as_too_long_not_resource_exhausted()
    {
        var record = ValidOperator();
        record.Name = new string('名', 7000);
        await AssertRefusedAsync("FIELD_TOO_LONG", "operator.name",
            () => scenario.Registry.UpsertOperatorAsync(new UpsertOperatorRequest { Operator = record }).ResponseAsync);
    }

    [Theory]
    [InlineData(253_402_300_800L, 0)]
    [InlineData(0L, -1)]
    [InlineData(0L, 1_000_000_000)]
    public async Task A_payment_time_outside_the_timestamp_range_is_refused(long seconds, int nanos)
    {
        var request = new ConfirmPaymentRequest
        {
            SlipNumber = "000000000000000", AmountNtd = 1, ReceiptReference = "RCPT-1",
            PaidAt = new Timestamp { Seconds = seconds, Nanos = nanos },
        };
        await AssertRefusedAsync("TIMESTAMP_OUT_OF_RANGE", "paid_at", () => scenario.Fees.ConfirmPaymentAsync(request).ResponseAsync);
    }

    [Fact]
    public async Task A_signed_listing_filter_outside_the_enum_is_refused_with_its_payload_path()
    {
        var payload = new ListApplicationsPayload
        {
            Header = RequestSigner.OrganizationHeader(WorkflowScenario.FirmUbn, WorkflowScenario.FirmName),
            State = (ApplicationState)77,
        };
        var envelope = server.CompanySigner().Sign(payload);
        await AssertRefusedAsync("ENUM_VALUE_UNDEFINED", "state",
            () => scenario.Applicants.ListApplicationsAsync(new ListApplicationsRequest { Envelope = envelope }).ResponseAsync);
    }

    [Fact]
    public async Task A_signed_submission_with_U0000_in_the_notice_address_stores_nothing()
    {
        var content = WorkflowScenario.Content(ServiceType.New, CertificateKind.Organization);
        content.NoticeEmail = "office\0@example.test";
        await AssertRefusedAsync("FIELD_CONTAINS_NUL", "content.notice_email",
            () => scenario.Applicants.SubmitApplicationAsync(new SubmitApplicationRequest { Envelope = scenario.SignSubmission(content) }).ResponseAsync);
    }

    [Fact]
    public async Task A_signed_payload_that_is_not_valid_utf8_is_refused_as_malformed()
    {
        // Field 2 (application_id), a string of one byte that is no UTF-8.
        var header = RequestSigner.OrganizationHeader(WorkflowScenario.FirmUbn, WorkflowScenario.FirmName);
        header.Rpc = "/customs.ra.v1.RegistrationAuthority/GetApplication";
        var bytes = new GetApplicationPayload { Header = header }.ToByteArray().Concat(new byte[] { 0x12, 0x01, 0xFF }).ToArray();
        var envelope = new SignedEnvelope
        {
            Payload = ByteString.CopyFrom(bytes),
            CmsSignature = ByteString.CopyFrom(DetachedCmsSigner.Sign(bytes, Ra.DevPki.DevPki.LoadP12(server.Pki.CompanyP12), server.Clock.GetUtcNow())),
        };
        var e = await Assert.ThrowsAsync<RpcException>(() =>
            scenario.Applicants.GetApplicationAsync(new GetApplicationRequest { Envelope = envelope }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal("PAYLOAD_MALFORMED", RpcAssert.ReasonOf(e));
        Assert.Equal(["envelope.payload"], RpcAssert.ViolatedFields(e));
    }

    [Fact]
    public async Task A_malformed_import_record_is_rejected_alone_and_the_stream_goes_on()
    {
        using var call = scenario.Registry.ImportRegistry();
        await call.RequestStream.WriteAsync(new ImportRegistryRequest
        {
            BrokerStaff = new BrokerStaff { NationalId = "F131104093", Name = "王", LicenceNumber = "L-9", Status = (BrokerStaffStatus)9 },
        });
        await call.RequestStream.WriteAsync(new ImportRegistryRequest
        {
            BrokerStaff = new BrokerStaff { NationalId = "F131104093", Name = "王\0", LicenceNumber = "L-9", Status = BrokerStaffStatus.Active },
        });
        await call.RequestStream.WriteAsync(new ImportRegistryRequest
        {
            BrokerStaff = new BrokerStaff { NationalId = "F131104093", Name = "王", LicenceNumber = "L-9", Status = BrokerStaffStatus.Active },
        });
        await call.RequestStream.CompleteAsync();
        var response = await call.ResponseAsync;

        Assert.Equal([RecordOutcome.Rejected, RecordOutcome.Rejected, RecordOutcome.Accepted], response.Results.Select(r => r.Outcome));
        Assert.Equal("INVALID_REGISTRY_RECORD", response.Results[0].Reason);
        Assert.Equal(["broker_staff.status"], response.Results[0].FieldViolations.Select(v => v.Field));
        Assert.Equal(["broker_staff.name"], response.Results[1].FieldViolations.Select(v => v.Field));
        Assert.Equal((1, 2), (response.AcceptedCount, response.RejectedCount));
    }
}
