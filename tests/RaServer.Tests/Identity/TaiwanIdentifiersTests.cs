using RaServer.Domain;
using RaServer.Hosting;
using RaServer.Policy;
using RaServer.Storage;
using RaServer.Trust;

namespace RaServer.Tests.Identity;

public class TaiwanIdentifiersTests
{
    [Theory]
    [InlineData("04595257", true)]
    [InlineData("10458575", true)]  // 7th digit 7
    [InlineData("10458574", true)]  // valid only through the 7th-digit rule
    [InlineData("04595252", true)]  // valid only under the % 5 rule in force since 2023
    [InlineData("12345678", false)]
    [InlineData("1234567A", false)]
    [InlineData("0459525", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Unified_business_numbers_follow_the_current_rule(string? ubn, bool valid) =>
        Assert.Equal(valid, TaiwanIdentifiers.IsValidUbn(ubn));

    [Theory]
    [InlineData("A123456789", true)]
    [InlineData("F131104093", true)]
    [InlineData("A123456788", false)]
    [InlineData("A323456789", false)]
    [InlineData("A800000014", true)]   // resident number issued since 2021
    [InlineData("AA00000009", true)]   // old-format resident number
    [InlineData("AE00000009", false)]  // E is no valid second letter
    [InlineData("a123456789", false)]
    [InlineData("A12345678", false)]
    [InlineData(null, false)]
    public void Person_ids_and_resident_numbers_follow_their_checksums(string? id, bool valid) =>
        Assert.Equal(valid, TaiwanIdentifiers.IsValidPersonId(id));
}
