using Customs.Ra.V1;
using Grpc.Core;
using RaServer.Tests.Fixtures;
using RaServer.Tests.Harness;

namespace RaServer.Tests.Integration;

/// <summary>The customs registry feed through gRPC: single upserts and a client-streamed import.</summary>
public sealed class RegistryServiceTests(PostgresFixture postgres, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private RaServerHarness server = null!;
    private Customs.Ra.V1.Registry.RegistryClient registry = null!;

    public async Task InitializeAsync()
    {
        server = await RaServerHarness.StartAsync(postgres);
        registry = new Customs.Ra.V1.Registry.RegistryClient(server.Channel(RaServerHarness.Client("registry")));
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    private static Operator Firm(string ubn = "04595252") => new()
    {
        Ubn = ubn, Name = "測試報關股份有限公司", Kind = OperatorKind.CustomsBroker,
        CustomsOfficeCode = "AA", BoxNumber = "207/0", Status = OperatorStatus.Active,
    };

    private static BrokerStaff Broker() => new()
    {
        NationalId = "A123456789", Name = "測試人員", LicenceNumber = "L-0001", Status = BrokerStaffStatus.Active,
    };

    [Fact]
    public async Task Upserting_an_operator_creates_it_once_and_then_updates_it()
    {
        var first = await registry.UpsertOperatorAsync(new UpsertOperatorRequest { Operator = Firm() });
        Assert.True(first.Created);
        var renamed = Firm();
        renamed.Name = "測試報關有限公司";
        var second = await registry.UpsertOperatorAsync(new UpsertOperatorRequest { Operator = renamed });
        Assert.False(second.Created);
        Assert.Equal("測試報關有限公司", second.Operator.Name);
    }

    [Fact]
    public async Task An_invalid_operator_is_refused_with_a_field_violation_per_problem()
    {
        var bad = Firm("12345678");
        bad.Kind = OperatorKind.Unspecified;
        var e = await RpcAssert.RefusedAsync(StatusCode.InvalidArgument, "INVALID_REGISTRY_RECORD",
            async () => await registry.UpsertOperatorAsync(new UpsertOperatorRequest { Operator = bad }));
        Assert.Contains("operator.ubn", RpcAssert.ViolatedFields(e));
        Assert.Contains("operator.kind", RpcAssert.ViolatedFields(e));
        Assert.Equal(0, await server.CountAsync("operators"));
    }

    [Fact]
    public async Task A_mandate_needs_a_known_broker_and_firm_and_a_readable_date()
    {
        var mandate = new Mandate { NationalId = "A123456789", FirmUbn = "04595252", StartDate = "2026-01-01" };
        await RpcAssert.RefusedAsync(StatusCode.FailedPrecondition, "UNKNOWN_BROKER_STAFF",
            async () => await registry.UpsertMandateAsync(new UpsertMandateRequest { Mandate = mandate }));

        await registry.UpsertOperatorAsync(new UpsertOperatorRequest { Operator = Firm() });
        await registry.UpsertBrokerStaffAsync(new UpsertBrokerStaffRequest { BrokerStaff = Broker() });
        var created = await registry.UpsertMandateAsync(new UpsertMandateRequest { Mandate = mandate });
        Assert.True(created.Created);

        var unreadable = new Mandate { NationalId = "A123456789", FirmUbn = "04595252", StartDate = "2026-13-40" };
        var e = await RpcAssert.RefusedAsync(StatusCode.InvalidArgument, "INVALID_REGISTRY_RECORD",
            async () => await registry.UpsertMandateAsync(new UpsertMandateRequest { Mandate = unreadable }));
        Assert.Equal(["mandate.start_date"], RpcAssert.ViolatedFields(e));
    }

    [Fact]
    public async Task An_import_stream_reports_every_record_and_keeps_the_good_ones()
    {
        using var call = registry.ImportRegistry();
        var records = new List<ImportRegistryRequest>
        {
            new() { Operator = Firm() },                                            // 0 good
            new() { Operator = Firm("12345678") },                                  // 1 bad UBN checksum
            new() { BrokerStaff = Broker() },                                       // 2 good
            new() { Mandate = new Mandate { NationalId = "A123456789", FirmUbn = "04595252", StartDate = "2026-02-01" } }, // 3 good
            new() { Mandate = new Mandate { NationalId = "F131104093", FirmUbn = "04595252", StartDate = "2026-02-01" } }, // 4 unknown staff
            new() { Mandate = new Mandate { NationalId = "A123456789", FirmUbn = "04595252", StartDate = "someday" } },    // 5 unreadable date
            new(),                                                                  // 6 empty
            new() { Operator = Firm("04595257") },                                  // 7 good
        };
        foreach (var record in records)
            await call.RequestStream.WriteAsync(record);
        await call.RequestStream.CompleteAsync();
        var result = await call;

        Assert.Equal(4, result.AcceptedCount);
        Assert.Equal(4, result.RejectedCount);
        Assert.Equal(Enumerable.Range(0, 8).Select(i => (long)i), result.Results.Select(r => r.Index));
        var rejected = result.Results.Where(r => r.Outcome == RecordOutcome.Rejected).ToDictionary(r => r.Index, r => r.Reason);
        Assert.Equal(new Dictionary<long, string>
        {
            [1] = "INVALID_REGISTRY_RECORD", [4] = "UNKNOWN_BROKER_STAFF", [5] = "INVALID_REGISTRY_RECORD", [6] = "EMPTY_REGISTRY_RECORD",
        }, rejected);
        Assert.Contains(result.Results[1].FieldViolations, v => v.Field == "ubn");
        Assert.Equal(2, await server.CountAsync("operators"));
        Assert.Equal(1, await server.CountAsync("broker_staff"));
        Assert.Equal(1, await server.CountAsync("mandates"));
    }

    [Fact]
    public async Task One_stream_of_a_hundred_thousand_records_lands_every_good_record_and_reports_every_bad_one()
    {
        const int total = 100_000;
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        using var call = registry.ImportRegistry();
        var ubns = RegistryTestData.Ubns().Take(50_000).ToArray();
        var bad = new HashSet<long>();
        var landed = new HashSet<string>();
        for (var i = 0; i < total; i++)
        {
            var ubn = ubns[i % ubns.Length];
            var record = new ImportRegistryRequest { Operator = Firm(ubn) };
            if (i % 1_000 == 7)
            {
                record.Operator.CustomsOfficeCode = "??"; // every thousandth record is bad
                bad.Add(i);
            }
            else
            {
                landed.Add(ubn);
            }
            await call.RequestStream.WriteAsync(record);
        }
        await call.RequestStream.CompleteAsync();
        var result = await call;
        output.WriteLine($"ImportRegistry over gRPC: {total:N0} records in {stopwatch.Elapsed.TotalSeconds:F2} s");

        Assert.Equal(total, result.Results.Count);
        Assert.Equal(bad.Order(), result.Results.Where(r => r.Outcome == RecordOutcome.Rejected).Select(r => r.Index));
        Assert.Equal(total - bad.Count, result.AcceptedCount);
        Assert.Equal(landed.Count, await server.CountAsync("operators")); // 50k distinct UBNs, each sent twice
    }
}
