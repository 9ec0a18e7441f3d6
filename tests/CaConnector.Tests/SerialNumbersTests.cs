namespace CaConnector.Tests;

public class SerialNumbersTests
{
    [Theory]
    [InlineData("00C1", "C1")]
    [InlineData("c1", "C1")]
    [InlineData("0A1B", "A1B")]
    [InlineData(" 000a1b ", "A1B")]
    [InlineData("00", "0")]
    public void Every_spelling_of_a_serial_meets_in_one_canonical_form(string spelling, string canonical)
    {
        Assert.Equal(canonical, SerialNumbers.Canonical(spelling));
        Assert.True(SerialNumbers.TryCanonical(spelling, out var checkedSpelling));
        Assert.Equal(canonical, checkedSpelling);
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0xC1 }, "C1")]
    [InlineData(new byte[] { 0x0A, 0x1B }, "A1B")]
    [InlineData(new byte[] { 0x00 }, "0")]
    public void Bytes_with_a_sign_byte_or_a_leading_zero_digit_are_spelled_the_same_way(byte[] serial, string canonical) =>
        Assert.Equal(canonical, SerialNumbers.ToHex(serial));

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("C1G")]
    [InlineData("-C1")]
    [InlineData("0x41")]
    [InlineData("12345678901234567890123456789012345678901")]
    public void Anything_but_1_to_40_hex_digits_is_not_a_serial(string text)
    {
        Assert.False(SerialNumbers.TryCanonical(text, out _));
        Assert.False(SerialNumbers.TryParseHex(text, out _));
    }

    [Theory]
    [InlineData("A1B", new byte[] { 0x0A, 0x1B })]
    [InlineData("000A1B", new byte[] { 0x0A, 0x1B })]
    [InlineData("0", new byte[] { 0x00 })]
    public void The_canonical_spelling_parses_back_to_the_same_bytes(string hex, byte[] serial)
    {
        Assert.True(SerialNumbers.TryParseHex(hex, out var parsed));
        Assert.Equal(serial, parsed);
        Assert.Equal(SerialNumbers.Canonical(hex), SerialNumbers.ToHex(parsed));
    }
}
