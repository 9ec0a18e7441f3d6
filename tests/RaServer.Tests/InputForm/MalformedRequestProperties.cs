using System.Collections;
using System.Diagnostics;
using CsCheck;
using Customs.Ra.V1;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Ra.Client.Signing;
using RaServer.Api;
using RaServer.Tests.Harness;
using Xunit.Abstractions;

namespace RaServer.Tests.InputForm;

/// <summary>
/// Property: a well-formed request of any mTLS RPC with one defect injected (an unparseable body, U+0000 in a string,
/// a string or bytes field over its declared limit, an undefined enum number, an out-of-range timestamp), at any
/// field the request carries, is INVALID_ARGUMENT with the defect's reason naming the defect's field, never INTERNAL
/// or UNKNOWN; each refusal leaves one audit row and nothing else is stored. Requests go out as raw bytes, so the
/// body the server parses is exactly what the generator made; 16 are in flight against one server.
/// </summary>
public sealed class MalformedRequestProperties(SharedRaServer shared, ITestOutputHelper output) : IClassFixture<SharedRaServer>
{
    private const int RequestsPerFamily = 10_000;
    private static readonly Marshaller<byte[]> Raw = Marshallers.Create(b => b, b => b);

    private static readonly string[] StoredTables =
    [
        "operators", "broker_staff", "mandates", "signed_requests", "applications", "application_events",
        "mail_outbox", "certificates", "payment_slips", "ca_requests", "certificate_registrations",
    ];

    private static Applicant Firm => new() { Organization = new OrganizationIdentity { Ubn = "04595252", Name = "測試報關股份有限公司" } };

    /// <summary>Well-formed requests of each family, every string, enum and timestamp field set.</summary>
    public static TheoryData<string> Families => new() { "Registry", "CustomsOffice", "Payments", "Verification" };

    private static IMessage[] Bases(string family) => family switch
    {
        "Registry" =>
        [
            new UpsertOperatorRequest { Operator = new Operator { Ubn = "04595257", Name = "新測試", Kind = OperatorKind.Carrier, CustomsOfficeCode = "CA", BoxNumber = "A1", Status = OperatorStatus.Active } },
            new UpsertBrokerStaffRequest { BrokerStaff = new BrokerStaff { NationalId = "F131104093", Name = "王", LicenceNumber = "L-9", Status = BrokerStaffStatus.Active } },
            new UpsertMandateRequest { Mandate = new Mandate { NationalId = "F131104093", FirmUbn = "04595257", StartDate = "2025-01-01", EndDate = "2026-01-01" } },
        ],
        "CustomsOffice" =>
        [
            new IntakePaperApplicationRequest
            {
                RequestId = Guid.NewGuid().ToString("D"), ReceivingOfficeCode = "AA", ClerkId = "clerk", SealsChecked = true, Applicant = Firm,
                Content = WorkflowScenario.Content(ServiceType.Renew, CertificateKind.Personal, "0a1b"),
            },
            new RejectApplicationRequest { ApplicationId = Guid.NewGuid().ToString("D"), ClerkId = "clerk", Reasons = { new RejectionReason { Code = "A", Text = "t", Field = "f" } } },
            new ListOfficeApplicationsRequest { PageSize = 5, PageToken = "x", State = ApplicationState.Received, Channel = ApplicationChannel.Paper },
            new PrintPaymentSlipRequest { ApplicationId = Guid.NewGuid().ToString("D") },
            new RecordMandateRequest { ClerkId = "clerk", Mandate = new Mandate { NationalId = "F131104093", FirmUbn = "04595257", StartDate = "2025-01-01", EndDate = "2026-01-01" } },
            new EndMandateRequest { NationalId = "F131104093", FirmUbn = "04595257", EndDate = "2026-01-01", ClerkId = "clerk" },
            new DisqualifyBrokerRequest { NationalId = "F131104093", EffectiveDate = "2026-01-01", Reason = "r", ClerkId = "clerk" },
        ],
        "Payments" =>
        [
            new ConfirmPaymentRequest { SlipNumber = "123", AmountNtd = 1, ReceiptReference = "R", PaidAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch) },
        ],
        "Verification" =>
        [
            new VerifySignedMessageRequest { Message = ByteString.CopyFromUtf8("m"), CmsSignature = ByteString.CopyFrom(1, 2), FirmUbn = "04595252" },
            new GetCertificateStatusRequest { SerialHex = "0a", FirmUbn = "04595252" },
        ],
        _ => throw new ArgumentOutOfRangeException(nameof(family)),
    };

    private static string ClientOf(string family) => family switch
    {
        "Registry" => "registry", "CustomsOffice" => "officer", "Payments" => "fees", "Verification" => "verifier",
        _ => throw new ArgumentOutOfRangeException(nameof(family)),
    };

    /// <summary>A place in a request where a defect can go: the field, its path, and how to set it.</summary>
    private sealed record Slot(FieldDescriptor Field, string Path, Action<object> Set);

    private static List<Slot> Slots(IMessage message, string prefix)
    {
        var slots = new List<Slot>();
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            var path = prefix + field.Name;
            if (field.IsRepeated)
            {
                var list = (IList)field.Accessor.GetValue(message);
                for (var i = 0; i < list.Count; i++)
                {
                    var index = i;
                    if (list[i] is IMessage item)
                        slots.AddRange(Slots(item, $"{path}[{i}]."));
                    else
                        slots.Add(new Slot(field, $"{path}[{i}]", v => list[index] = v));
                }
                continue;
            }
            if (field.HasPresence && !field.Accessor.HasValue(message))
                continue;
            var value = field.Accessor.GetValue(message);
            if (field.FieldType == FieldType.Message && value is not Timestamp)
                slots.AddRange(Slots((IMessage)value, path + "."));
            else if (field.FieldType is FieldType.String or FieldType.Bytes or FieldType.Enum or FieldType.Message)
                slots.Add(new Slot(field, path, v => field.Accessor.SetValue(message, v)));
        }
        return slots;
    }

    /// <summary>The request bytes with one defect, and the reason and field path the server must name.</summary>
    private static (string Method, byte[] Body, string Reason, string Field) Malformed(string family, int pick, int slotPick, int size, int position)
    {
        var bases = Bases(family);
        var template = bases[pick % bases.Length];
        var request = template.Descriptor.Parser.ParseFrom(template.ToByteArray());
        var method = FindMethod(request.Descriptor);
        var slots = Slots(request, "");
        var slot = slots[slotPick % slots.Count];
        if (size % 7 == 0)
            // A length-delimited field 1 whose length runs past the end: no parser can read it.
            return (method, [.. request.ToByteArray(), 0x0A, 0x7F], InputReasons.RequestMalformed, "");
        switch (slot.Field.FieldType)
        {
            case FieldType.String:
                var limit = FieldLimits.Of(slot.Field);
                if (size % 2 == 0)
                {
                    slot.Set(new string('字', limit + 1 + size % 64));
                    return (method, request.ToByteArray(), InputReasons.FieldTooLong, slot.Path);
                }
                var text = "ab字";
                slot.Set(text.Insert(position % (text.Length + 1), "\0"));
                return (method, request.ToByteArray(), InputReasons.FieldContainsNul, slot.Path);
            case FieldType.Bytes:
                slot.Set(ByteString.CopyFrom(new byte[FieldLimits.Of(slot.Field) + 1 + size % 64]));
                return (method, request.ToByteArray(), InputReasons.FieldTooLong, slot.Path);
            case FieldType.Enum:
                var undefined = slot.Field.EnumType.Values.Max(v => v.Number) + 1 + size % 1000;
                slot.Set(System.Enum.ToObject(slot.Field.EnumType.ClrType, size % 3 == 0 ? -undefined : undefined));
                return (method, request.ToByteArray(), InputReasons.EnumValueUndefined, slot.Path);
            default:
                slot.Set((size % 3) switch
                {
                    0 => new Timestamp { Seconds = 253_402_300_800L + size },
                    1 => new Timestamp { Nanos = -1 - size % 1000 },
                    _ => new Timestamp { Nanos = 1_000_000_000 + size },
                });
                return (method, request.ToByteArray(), InputReasons.TimestampOutOfRange, slot.Path);
        }
    }

    /// <summary>Well-formed signed payloads of the unary RegistrationAuthority RPCs, their header naming the RPC.</summary>
    private static IMessage[] Payloads()
    {
        static RequestHeader Header() => RequestSigner.OrganizationHeader(WorkflowScenario.FirmUbn, WorkflowScenario.FirmName);
        IMessage[] payloads =
        [
            new SubmitApplicationPayload { Header = Header(), Content = WorkflowScenario.Content(ServiceType.Renew, CertificateKind.Personal, "0a1b") },
            new GetApplicationPayload { Header = Header(), ApplicationId = Guid.NewGuid().ToString("D") },
            new ListApplicationsPayload { Header = Header(), PageToken = "x", State = ApplicationState.Received, ServiceType = ServiceType.New },
            new GetPaymentSlipPayload { Header = Header(), ApplicationId = Guid.NewGuid().ToString("D") },
            new SubmitCsrPayload { Header = Header(), ApplicationId = Guid.NewGuid().ToString("D"), CsrDer = ByteString.CopyFrom(1, 2) },
            new DownloadCertificatePayload { Header = Header(), SerialHex = "0a" },
            new RegisterCertificatePayload { Header = Header(), SerialHex = "0a", FirmUbn = WorkflowScenario.FirmUbn },
            new ListCertificatesPayload { Header = Header(), PageToken = "x", State = CertificateState.Active, Kind = CertificateKind.Personal },
        ];
        foreach (var payload in payloads)
            ((RequestHeader)payload.Descriptor.FindFieldByNumber(1).Accessor.GetValue(payload)).Rpc = RequestSigner.RpcOf(payload);
        return payloads;
    }

    /// <summary>The signed payload bytes with one defect, the RPC, and what the server must name (paths from the payload).</summary>
    private static (string Method, byte[] Payload, string Reason, string Field) MalformedPayload(int pick, int slotPick, int size, int position)
    {
        var payloads = Payloads();
        var payload = payloads[pick % payloads.Length];
        var method = RequestSigner.RpcOf(payload)[1..];
        if (size % 7 == 0)
            return (method, [.. payload.ToByteArray(), 0x0A, 0x7F], "PAYLOAD_MALFORMED", "envelope.payload");
        var slots = Slots(payload, "");
        var slot = slots[slotPick % slots.Count];
        switch (slot.Field.FieldType)
        {
            case FieldType.String when size % 2 == 0:
                slot.Set(new string('字', FieldLimits.Of(slot.Field) + 1 + size % 64));
                return (method, payload.ToByteArray(), InputReasons.FieldTooLong, slot.Path);
            case FieldType.String:
                slot.Set("ab字".Insert(position % 4, "\0"));
                return (method, payload.ToByteArray(), InputReasons.FieldContainsNul, slot.Path);
            case FieldType.Bytes:
                slot.Set(ByteString.CopyFrom(new byte[FieldLimits.Of(slot.Field) + 1 + size % 64]));
                return (method, payload.ToByteArray(), InputReasons.FieldTooLong, slot.Path);
            default:
                var undefined = slot.Field.EnumType.Values.Max(v => v.Number) + 1 + size % 1000;
                slot.Set(System.Enum.ToObject(slot.Field.EnumType.ClrType, size % 3 == 0 ? -undefined : undefined));
                return (method, payload.ToByteArray(), InputReasons.EnumValueUndefined, slot.Path);
        }
    }

    [Fact]
    public async Task Every_malformed_signed_payload_is_invalid_argument_with_one_audit_row_and_nothing_stored()
    {
        await shared.BeginTestAsync(loadRegistry: false);
        var server = shared.Server;
        var invoker = server.Channel().CreateCallInvoker();
        using var company = Ra.DevPki.DevPki.LoadP12(server.Pki.CompanyP12);
        var clock = Stopwatch.StartNew();
        var tally = new AnswerTally();

        var gen = Gen.Select(Gen.Int[0, 100], Gen.Int[0, 1000], Gen.Int[0, 10_000], Gen.Int[0, 10]);
        await gen.SampleAsync(async (pick, slot, size, position) =>
        {
            var (name, payload, reason, field) = MalformedPayload(pick, slot, size, position);
            var envelope = new SignedEnvelope
            {
                Payload = ByteString.CopyFrom(payload),
                CmsSignature = ByteString.CopyFrom(DetachedCmsSigner.Sign(payload, company, server.Clock.GetUtcNow())),
            };
            // Every signed request is { envelope = 1 }, so one message type serializes them all.
            var body = new GetApplicationRequest { Envelope = envelope }.ToByteArray();
            var parts = name.Split('/');
            var method = new Method<byte[], byte[]>(MethodType.Unary, parts[0], parts[1], Raw, Raw);
            var e = await Assert.ThrowsAsync<RpcException>(() => invoker.AsyncUnaryCall(method, null, new CallOptions(), body).ResponseAsync);
            tally.Add(name, e.StatusCode.ToString(), RpcAssert.ReasonOf(e) ?? "");
            Assert.True(e.StatusCode == StatusCode.InvalidArgument, $"{name} {field}: {e.StatusCode} {e.Status.Detail}");
            Assert.Equal(reason, RpcAssert.ReasonOf(e));
            Assert.Contains(field, RpcAssert.ViolatedFields(e));
        }, iter: RequestsPerFamily, threads: 16);

        output.WriteLine($"RegistrationAuthority: {RequestsPerFamily} malformed signed requests in {clock.Elapsed.TotalSeconds:F1} s");
        ReliabilityFigures.Record("bad input: RegistrationAuthority (signed)", tally.Summary());
        Assert.Equal(RequestsPerFamily, (await server.RefusalReasonsAsync()).Count);
        foreach (var table in StoredTables)
            Assert.True(await server.CountAsync(table) == 0, $"a refused request stored a row in {table}");
    }

    /// <summary>
    /// A body over 1 MiB (bytes over VerifySignedMessage's 2 MiB limit for its message) goes gzip-compressed, as gRPC
    /// lets any client send it: the server inflates it to the very bytes the generator made and judges those, but
    /// TLS and HTTP/2 no longer carry megabytes of zeros for each such case, which cost most of this class's CPU.
    /// Every smaller body goes as it is.
    /// </summary>
    private static CallOptions OptionsFor(byte[] body) =>
        body.Length > 1 << 20 ? new CallOptions(new Metadata { { "grpc-internal-encoding-request", "gzip" } }) : new CallOptions();

    private static string FindMethod(MessageDescriptor input)
    {
        var method = new[] { Customs.Ra.V1.Registry.Descriptor, CustomsOffice.Descriptor, Payments.Descriptor, Verification.Descriptor }
            .SelectMany(s => s.Methods).Single(m => m.InputType == input);
        return $"{method.Service.FullName}/{method.Name}";
    }

    [Theory]
    [MemberData(nameof(Families))]
    public async Task Every_malformed_request_is_invalid_argument_with_one_audit_row_and_nothing_stored(string family)
    {
        await shared.BeginTestAsync(loadRegistry: false);
        var server = shared.Server;
        var invoker = server.Channel(RaServerHarness.Client(ClientOf(family))).CreateCallInvoker();
        var clock = Stopwatch.StartNew();
        var tally = new AnswerTally();

        var gen = Gen.Select(Gen.Int[0, 100], Gen.Int[0, 1000], Gen.Int[0, 10_000], Gen.Int[0, 10]);
        await gen.SampleAsync(async (pick, slot, size, position) =>
        {
            var (name, body, reason, field) = Malformed(family, pick, slot, size, position);
            var parts = name.Split('/');
            var method = new Method<byte[], byte[]>(MethodType.Unary, parts[0], parts[1], Raw, Raw);
            var e = await Assert.ThrowsAsync<RpcException>(() => invoker.AsyncUnaryCall(method, null, OptionsFor(body), body).ResponseAsync);
            tally.Add(name, e.StatusCode.ToString(), RpcAssert.ReasonOf(e) ?? "");
            Assert.True(e.StatusCode == StatusCode.InvalidArgument, $"{name} {field}: {e.StatusCode} {e.Status.Detail}");
            Assert.Equal(reason, RpcAssert.ReasonOf(e));
            Assert.Contains(field, RpcAssert.ViolatedFields(e));
        }, iter: RequestsPerFamily, threads: 16);

        output.WriteLine($"{family}: {RequestsPerFamily} malformed requests in {clock.Elapsed.TotalSeconds:F1} s");
        ReliabilityFigures.Record($"bad input: {family}", tally.Summary());
        Assert.Equal(RequestsPerFamily, (await server.RefusalReasonsAsync()).Count);
        foreach (var table in StoredTables)
            Assert.True(await server.CountAsync(table) == 0, $"a refused request stored a row in {table}");
    }
}
