using RaServer.Policy;

namespace RaServer.Tests.Policy;

public class SlipNumbersTests
{
    [Fact]
    public void A_slip_number_carries_the_taiwan_issue_date_a_serial_and_a_valid_check_digit()
    {
        var number = SlipNumbers.Create(new DateTimeOffset(2026, 11, 27, 17, 0, 0, TimeSpan.Zero), 42);
        Assert.Equal("26112800000042", number[..^1]); // 17:00 UTC is already the 28th in Taiwan
        Assert.True(SlipNumbers.IsWellFormed(number));
    }

    [Fact]
    public void Any_single_mistyped_digit_is_caught_by_the_check_digit()
    {
        var number = SlipNumbers.Create(new DateTimeOffset(2026, 11, 27, 0, 0, 0, TimeSpan.Zero), 123456);
        for (var position = 0; position < number.Length; position++)
            for (var digit = '0'; digit <= '9'; digit++)
            {
                if (digit == number[position])
                    continue;
                var typo = number[..position] + digit + number[(position + 1)..];
                Assert.False(SlipNumbers.IsWellFormed(typo), typo);
            }
    }

    [Theory]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("26112700000042X")]
    public void Malformed_slip_numbers_are_refused(string number) => Assert.False(SlipNumbers.IsWellFormed(number));
}
