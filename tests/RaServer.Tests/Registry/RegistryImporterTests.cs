using Microsoft.Extensions.Time.Testing;
using Npgsql;
using RaServer.Domain;
using RaServer.Policy;
using RaServer.Storage;
using RaServer.Workflow;
using RaServer.Tests.Fixtures;

namespace RaServer.Tests.Registry;

public sealed class RegistryImporterTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private static readonly DateOnly Start = new(2024, 1, 1);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.Zero));
    private NpgsqlDataSource _db = null!;
    private RegistryStore _store = null!;

    public async Task InitializeAsync()
    {
        _db = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync());
        _store = new RegistryStore(_db, _clock);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<List<RegistryImportResult>> ImportAsync(int batchSize, params RegistryImportRecord[] records) =>
        await new RegistryImporter(new UnitOfWorkFactory(_db, new MailOutboxSettings("ra.test"), _clock), _clock, batchSize).ImportAsync(records.ToAsyncEnumerable(), CancellationToken.None).ToListAsync();

    // "OK" for an accepted record, else its reason code.
    private static string[] Reasons(IEnumerable<RegistryImportResult> results) => results.Select(r => r.Reason ?? Ok).ToArray();

    private const string Ok = "OK";

    [Fact]
    public async Task Every_record_gets_one_result_by_its_index_and_a_bad_one_does_not_cost_the_good_ones()
    {
        var results = await ImportAsync(100,
            RegistryImportRecord.Of(RegistryTestData.TestBrokerFirm),
            RegistryImportRecord.Of(RegistryTestData.TestBrokerFirm with { Ubn = "12345678" }),
            RegistryImportRecord.Of(RegistryTestData.TestBroker),
            new RegistryImportRecord(null, null, null),
            RegistryImportRecord.Of(RegistryTestData.TestMandate));

        Assert.Equal([0, 1, 2, 3, 4], results.Select(r => r.Index));
        Assert.Equal([Ok, RegistryReasons.InvalidRecord, Ok, RegistryReasons.EmptyRecord, Ok], Reasons(results));
        Assert.Equal("ubn", Assert.Single(results[1].Problems).Field);
        Assert.Equal([RegistryTestData.TestMandate], await _store.ListMandatesAsync(RegistryTestData.TestBrokerNationalId, CancellationToken.None));
    }

    [Fact]
    public async Task The_same_key_twice_in_one_batch_is_accepted_and_the_last_record_wins()
    {
        var renamed = RegistryTestData.TestBrokerFirm with { Name = "改名報關股份有限公司" };
        var ended = RegistryTestData.TestMandate with { EndDate = new DateOnly(2024, 6, 30) };

        var results = await ImportAsync(100,
            RegistryImportRecord.Of(RegistryTestData.TestBrokerFirm),
            RegistryImportRecord.Of(RegistryTestData.TestBroker),
            RegistryImportRecord.Of(RegistryTestData.TestMandate),
            RegistryImportRecord.Of(renamed),
            RegistryImportRecord.Of(ended),
            RegistryImportRecord.Of(RegistryTestData.TestBroker with { Status = BrokerStaffStatuses.Suspended }));

        Assert.All(results, r => Assert.True(r.Accepted));
        Assert.Equal(renamed, await _store.GetOperatorAsync(RegistryTestData.TestFirmUbn, CancellationToken.None));
        Assert.Equal(BrokerStaffStatuses.Suspended, (await _store.GetBrokerStaffAsync(RegistryTestData.TestBrokerNationalId, CancellationToken.None))?.Status);
        Assert.Equal([ended], await _store.ListMandatesAsync(RegistryTestData.TestBrokerNationalId, CancellationToken.None));
    }

    [Fact]
    public async Task A_mandate_may_name_a_firm_from_an_earlier_batch_but_not_one_that_comes_later()
    {
        var laterFirm = RegistryTestData.TestBrokerFirm with { Ubn = "04595257" };
        var results = await ImportAsync(2,
            RegistryImportRecord.Of(RegistryTestData.TestBrokerFirm),
            RegistryImportRecord.Of(RegistryTestData.TestBroker),
            RegistryImportRecord.Of(RegistryTestData.TestMandate), // second batch: firm and staff came in the first
            RegistryImportRecord.Of(RegistryTestData.TestMandate with { FirmUbn = laterFirm.Ubn }),
            RegistryImportRecord.Of(laterFirm));

        Assert.Equal([Ok, Ok, Ok, RegistryReasons.UnknownFirm, Ok], Reasons(results));
        Assert.Equal([RegistryTestData.TestMandate], await _store.ListMandatesAsync(RegistryTestData.TestBrokerNationalId, CancellationToken.None));
    }

    [Fact]
    public async Task A_mandate_may_name_staff_and_firm_already_in_the_database()
    {
        await _store.UpsertOperatorAsync(RegistryTestData.TestBrokerFirm, CancellationToken.None);
        await _store.UpsertBrokerStaffAsync(RegistryTestData.TestBroker, CancellationToken.None);

        var results = await ImportAsync(100,
            RegistryImportRecord.Of(RegistryTestData.TestMandate),
            RegistryImportRecord.Of(RegistryTestData.TestMandate with { NationalId = "F131104093" }));

        Assert.Equal([Ok, RegistryReasons.UnknownBrokerStaff], Reasons(results));
    }

    [Fact]
    public async Task A_licence_number_already_held_by_another_person_is_refused_per_record()
    {
        await _store.UpsertBrokerStaffAsync(RegistryTestData.TestBroker, CancellationToken.None);

        var results = await ImportAsync(100,
            RegistryImportRecord.Of(new BrokerStaffRecord("F131104093", "甲", RegistryTestData.TestBroker.LicenceNumber, BrokerStaffStatuses.Active)),
            RegistryImportRecord.Of(new BrokerStaffRecord("A800000014", "乙", "L-NEW", BrokerStaffStatuses.Active)),
            RegistryImportRecord.Of(new BrokerStaffRecord("AA00000009", "丙", "L-NEW", BrokerStaffStatuses.Active)));

        Assert.Equal([RegistryReasons.LicenceNumberTaken, Ok, RegistryReasons.LicenceNumberTaken], Reasons(results));
        Assert.Null(await _store.GetBrokerStaffAsync("F131104093", CancellationToken.None));
        Assert.Null(await _store.GetBrokerStaffAsync("AA00000009", CancellationToken.None));
    }

    [Fact]
    public async Task Licence_numbers_may_move_between_people_within_one_batch()
    {
        // A holds L1 in the database; the import gives B a licence, moves A to L3, and then gives L1 to B.
        await _store.UpsertBrokerStaffAsync(new BrokerStaffRecord("A123456789", "A", "L1", BrokerStaffStatuses.Active), CancellationToken.None);

        var results = await ImportAsync(100,
            RegistryImportRecord.Of(new BrokerStaffRecord("F131104093", "B", "L2", BrokerStaffStatuses.Active)),
            RegistryImportRecord.Of(new BrokerStaffRecord("A123456789", "A", "L3", BrokerStaffStatuses.Active)),
            RegistryImportRecord.Of(new BrokerStaffRecord("F131104093", "B", "L1", BrokerStaffStatuses.Active)));

        Assert.All(results, r => Assert.True(r.Accepted));
        Assert.Equal("L3", (await _store.GetBrokerStaffAsync("A123456789", CancellationToken.None))?.LicenceNumber);
        Assert.Equal("L1", (await _store.GetBrokerStaffAsync("F131104093", CancellationToken.None))?.LicenceNumber);
    }
}
