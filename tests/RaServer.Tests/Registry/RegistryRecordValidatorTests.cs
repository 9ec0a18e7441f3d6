using RaServer.Domain;
using RaServer.Policy;
using RaServer.Storage;
using RaServer.Workflow;
using RaServer.Tests.Fixtures;

namespace RaServer.Tests.Registry;

public sealed class RegistryRecordValidatorTests
{
    [Theory]
    [InlineData("04595252", "測試報關股份有限公司", "CUSTOMS_BROKER", "AA", "207/0", "ACTIVE", "")]
    [InlineData("10458574", "Seventh digit seven", "CUSTOMS_BROKER", "BA", "A1Z/9", "SUSPENDED", "")]
    [InlineData("04595252", "Forwarder", "FORWARDER", "CA", "OG1", "ACTIVE", "")]
    [InlineData("04595252", "Carrier without box", "CARRIER", "DA", null, "REVOKED", "")]
    [InlineData("04595252", "Warehouse, free-form box", "WAREHOUSE", "AA", "C-12", "ACTIVE", "")]
    [InlineData("12345678", "Bad checksum", "CARRIER", "AA", null, "ACTIVE", "ubn")]
    [InlineData("0459525", "Seven digits", "CARRIER", "AA", null, "ACTIVE", "ubn")]
    [InlineData(" 04595252", "Padded", "CARRIER", "AA", null, "ACTIVE", "ubn")]
    [InlineData("04595252", "  ", "CARRIER", "AA", null, "ACTIVE", "name")]
    [InlineData("04595252", "Kind in lower case", "carrier", "AA", null, "ACTIVE", "kind")]
    [InlineData("04595252", "Unknown kind", "VAN_OPERATOR", "AA", null, "ACTIVE", "kind")]
    [InlineData("04595252", "Lower-case office", "CARRIER", "aa", null, "ACTIVE", "customs_office_code")]
    [InlineData("04595252", "Three-letter office", "CARRIER", "AAA", null, "ACTIVE", "customs_office_code")]
    [InlineData("04595252", "Broker without box", "CUSTOMS_BROKER", "AA", null, "ACTIVE", "box_number")]
    [InlineData("04595252", "Broker box without slash", "CUSTOMS_BROKER", "AA", "2070", "ACTIVE", "box_number")]
    [InlineData("04595252", "Broker box in lower case", "CUSTOMS_BROKER", "AA", "2a7/0", "ACTIVE", "box_number")]
    [InlineData("04595252", "Forwarder box not starting with O", "FORWARDER", "AA", "0A1", "ACTIVE", "box_number")]
    [InlineData("04595252", "Forwarder with a broker box", "FORWARDER", "AA", "207/0", "ACTIVE", "box_number")]
    [InlineData("04595252", "Carrier box with a space", "CARRIER", "AA", "A 1", "ACTIVE", "box_number")]
    [InlineData("04595252", "Carrier with empty box", "CARRIER", "AA", "", "ACTIVE", "box_number")]
    [InlineData("04595252", "Operator status of staff", "CARRIER", "AA", null, "DISQUALIFIED", "status")]
    [InlineData("1234567A", "", "", "", null, "", "ubn,name,kind,customs_office_code,status")]
    public void Operator_records_are_checked_field_by_field(
        string ubn, string name, string kind, string office, string? box, string status, string expectedFields)
    {
        var problems = RegistryRecordValidator.Validate(new OperatorRecord(ubn, name, kind, office, box, status));

        Assert.Equal(Fields(expectedFields), problems.Select(p => p.Field));
    }

    [Theory]
    [InlineData("A123456789", "測試人員", "BRK-000001", "ACTIVE", "")]
    [InlineData("A800000014", "New-format resident", "L1", "SUSPENDED", "")]
    [InlineData("AA00000009", "Old-format resident", "L2", "DISQUALIFIED", "")]
    [InlineData("A123456788", "Bad checksum", "L3", "ACTIVE", "national_id")]
    [InlineData("a123456789", "Lower-case letter", "L3", "ACTIVE", "national_id")]
    [InlineData("A123456789", "", "L3", "ACTIVE", "name")]
    [InlineData("A123456789", "No licence", " ", "ACTIVE", "licence_number")]
    [InlineData("A123456789", "Operator status", "L3", "REVOKED", "status")]
    [InlineData("", "", "", "", "national_id,name,licence_number,status")]
    public void Broker_staff_records_are_checked_field_by_field(
        string nationalId, string name, string licence, string status, string expectedFields)
    {
        var problems = RegistryRecordValidator.Validate(new BrokerStaffRecord(nationalId, name, licence, status));

        Assert.Equal(Fields(expectedFields), problems.Select(p => p.Field));
    }

    [Theory]
    [InlineData("A123456789", "04595252", "2024-01-01", null, "")]
    [InlineData("A123456789", "04595252", "2024-01-01", "2024-01-01", "")] // a one-day mandate
    [InlineData("A123456789", "04595252", "2024-01-02", "2024-01-01", "end_date")]
    [InlineData("A123456788", "04595252", "2024-01-01", null, "national_id")]
    [InlineData("A123456789", "04595253", "2024-01-01", null, "firm_ubn")]
    [InlineData("", "", "2024-01-01", "2023-12-31", "national_id,firm_ubn,end_date")]
    public void Mandate_records_are_checked_field_by_field(
        string nationalId, string firmUbn, string start, string? end, string expectedFields)
    {
        var record = new MandateRecord(nationalId, firmUbn, DateOnly.Parse(start), end is null ? null : DateOnly.Parse(end));

        Assert.Equal(Fields(expectedFields), RegistryRecordValidator.Validate(record).Select(p => p.Field));
    }

    [Fact]
    public void The_domain_test_records_are_valid()
    {
        Assert.Empty(RegistryRecordValidator.Validate(RegistryTestData.TestBrokerFirm));
        Assert.Empty(RegistryRecordValidator.Validate(RegistryTestData.TestBroker));
        Assert.Empty(RegistryRecordValidator.Validate(RegistryTestData.TestMandate));
    }

    private static string[] Fields(string commaSeparated) =>
        commaSeparated.Split(',', StringSplitOptions.RemoveEmptyEntries);
}
