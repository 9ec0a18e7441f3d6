using Dapper;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using RaServer.Api;
using RaServer.Domain;
using RaServer.Policy;
using RaServer.Storage;
using RaServer.Workflow;
using RaServer.Tests.Fixtures;

namespace RaServer.Tests.Registry;

public sealed class RegistryStoreTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.Zero));
    private NpgsqlDataSource _db = null!;
    private RegistryStore _store = null!;

    public async Task InitializeAsync()
    {
        _db = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync());
        _store = new RegistryStore(_db, _clock);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task An_operator_reads_back_as_it_was_written_and_an_upsert_replaces_it()
    {
        await _store.UpsertOperatorAsync(RegistryTestData.TestBrokerFirm, CancellationToken.None);
        Assert.Equal(RegistryTestData.TestBrokerFirm, await _store.GetOperatorAsync(RegistryTestData.TestFirmUbn, CancellationToken.None));

        var suspended = RegistryTestData.TestBrokerFirm with { Status = OperatorStatuses.Suspended, BoxNumber = "208/1" };
        await _store.UpsertOperatorAsync(suspended, CancellationToken.None);

        Assert.Equal(suspended, await _store.GetOperatorAsync(RegistryTestData.TestFirmUbn, CancellationToken.None));
    }

    [Fact]
    public async Task Writes_are_stamped_with_the_injected_clock()
    {
        await _store.UpsertOperatorAsync(RegistryTestData.TestBrokerFirm, CancellationToken.None);
        _clock.Advance(TimeSpan.FromDays(3));
        await _store.UpsertBrokerStaffAsync(RegistryTestData.TestBroker, CancellationToken.None);

        await using var connection = await _db.OpenConnectionAsync();
        Assert.Equal(new DateTime(2025, 3, 1, 8, 0, 0, DateTimeKind.Utc),
            await connection.ExecuteScalarAsync<DateTime>("SELECT updated_at FROM operators"));
        Assert.Equal(new DateTime(2025, 3, 4, 8, 0, 0, DateTimeKind.Utc),
            await connection.ExecuteScalarAsync<DateTime>("SELECT updated_at FROM broker_staff"));
    }

    [Fact]
    public async Task Unknown_records_read_as_null()
    {
        Assert.Null(await _store.GetOperatorAsync("04595257", CancellationToken.None));
        Assert.Null(await _store.GetBrokerStaffAsync("F131104093", CancellationToken.None));
        Assert.Empty(await _store.ListMandatesAsync("F131104093", CancellationToken.None));
    }

    [Fact]
    public async Task An_invalid_operator_is_refused_with_its_field_problems_and_not_written()
    {
        var invalid = RegistryTestData.TestBrokerFirm with { BoxNumber = "207", CustomsOfficeCode = "Keelung" };

        var refusal = await Assert.ThrowsAsync<RaException>(() => _store.UpsertOperatorAsync(invalid, CancellationToken.None));

        Assert.Equal(RaErrorKind.Invalid, refusal.Kind);
        Assert.Equal(RegistryReasons.InvalidRecord, refusal.Reason);
        Assert.Equal(["customs_office_code", "box_number"], refusal.Fields.Select(f => f.Field));
        Assert.Null(await _store.GetOperatorAsync(RegistryTestData.TestFirmUbn, CancellationToken.None));
    }

    [Fact]
    public async Task A_licence_number_held_by_another_person_is_refused()
    {
        await _store.UpsertBrokerStaffAsync(RegistryTestData.TestBroker, CancellationToken.None);
        var other = new BrokerStaffRecord("F131104093", "另一人員", RegistryTestData.TestBroker.LicenceNumber, BrokerStaffStatuses.Active);

        var refusal = await Assert.ThrowsAsync<RaException>(() => _store.UpsertBrokerStaffAsync(other, CancellationToken.None));

        Assert.Equal(RaErrorKind.AlreadyExists, refusal.Kind);
        Assert.Equal(RegistryReasons.LicenceNumberTaken, refusal.Reason);
        Assert.Null(await _store.GetBrokerStaffAsync("F131104093", CancellationToken.None));
    }

    [Fact]
    public async Task Broker_staff_can_be_disqualified_by_an_upsert()
    {
        await _store.UpsertBrokerStaffAsync(RegistryTestData.TestBroker, CancellationToken.None);
        await _store.UpsertBrokerStaffAsync(RegistryTestData.TestBroker with { Status = BrokerStaffStatuses.Disqualified }, CancellationToken.None);

        var staff = await _store.GetBrokerStaffAsync(RegistryTestData.TestBrokerNationalId, CancellationToken.None);
        Assert.Equal(BrokerStaffStatuses.Disqualified, staff?.Status);
    }

    [Fact]
    public async Task A_mandate_is_created_then_ended_by_an_upsert_with_the_same_start()
    {
        await _store.UpsertOperatorAsync(RegistryTestData.TestBrokerFirm, CancellationToken.None);
        await _store.UpsertBrokerStaffAsync(RegistryTestData.TestBroker, CancellationToken.None);
        await _store.UpsertMandateAsync(RegistryTestData.TestMandate, CancellationToken.None);

        var ended = RegistryTestData.TestMandate with { EndDate = new DateOnly(2025, 2, 28) };
        await _store.UpsertMandateAsync(ended, CancellationToken.None);

        Assert.Equal([ended], await _store.ListMandatesAsync(RegistryTestData.TestBrokerNationalId, CancellationToken.None));
    }

    [Fact]
    public async Task A_transfer_leaves_the_old_mandate_ended_and_the_new_one_current()
    {
        await _store.UpsertOperatorAsync(RegistryTestData.TestBrokerFirm, CancellationToken.None);
        var newFirm = RegistryTestData.TestBrokerFirm with { Ubn = "04595257", Name = "新報關行", BoxNumber = "301/0" };
        await _store.UpsertOperatorAsync(newFirm, CancellationToken.None);
        await _store.UpsertBrokerStaffAsync(RegistryTestData.TestBroker, CancellationToken.None);
        var oldMandate = RegistryTestData.TestMandate with { EndDate = new DateOnly(2025, 2, 28) };
        var newMandate = new MandateRecord(RegistryTestData.TestBrokerNationalId, newFirm.Ubn, new DateOnly(2025, 3, 1), null);

        await _store.UpsertMandateAsync(oldMandate, CancellationToken.None);
        await _store.UpsertMandateAsync(newMandate, CancellationToken.None);

        Assert.Equal([oldMandate, newMandate], await _store.ListMandatesAsync(RegistryTestData.TestBrokerNationalId, CancellationToken.None));
    }

    [Fact]
    public async Task A_mandate_for_unknown_broker_staff_is_refused_and_nothing_is_written()
    {
        await _store.UpsertOperatorAsync(RegistryTestData.TestBrokerFirm, CancellationToken.None);

        var refusal = await Assert.ThrowsAsync<RaException>(() => _store.UpsertMandateAsync(RegistryTestData.TestMandate, CancellationToken.None));

        Assert.Equal(RaErrorKind.FailedPrecondition, refusal.Kind);
        Assert.Equal(RegistryReasons.UnknownBrokerStaff, refusal.Reason);
        Assert.Equal(0, await CountMandatesAsync());
    }

    [Fact]
    public async Task A_mandate_for_an_unknown_firm_is_refused_and_nothing_is_written()
    {
        await _store.UpsertBrokerStaffAsync(RegistryTestData.TestBroker, CancellationToken.None);

        var refusal = await Assert.ThrowsAsync<RaException>(() => _store.UpsertMandateAsync(RegistryTestData.TestMandate, CancellationToken.None));

        Assert.Equal(RaErrorKind.FailedPrecondition, refusal.Kind);
        Assert.Equal(RegistryReasons.UnknownFirm, refusal.Reason);
        Assert.Equal(0, await CountMandatesAsync());
    }

    [Fact]
    public async Task A_mandate_ending_before_it_starts_is_invalid()
    {
        var backwards = RegistryTestData.TestMandate with { EndDate = new DateOnly(2023, 12, 31) };

        var refusal = await Assert.ThrowsAsync<RaException>(() => _store.UpsertMandateAsync(backwards, CancellationToken.None));

        Assert.Equal(RaErrorKind.Invalid, refusal.Kind);
        Assert.Equal("end_date", Assert.Single(refusal.Fields).Field);
    }

    private async Task<long> CountMandatesAsync()
    {
        await using var connection = await _db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM mandates");
    }
}
