using RaServer.Domain;

namespace RaServer.Policy;

/// <summary>
/// Payment slip numbers: the issue date (yyMMdd, Taiwan time), an 8-digit serial and a Luhn check digit, so a
/// mistyped number at a counter or bank is caught before it is looked up.
/// </summary>
public static class SlipNumbers
{
    public static string Create(DateTimeOffset issuedAt, long serial)
    {
        var body = issuedAt.ToOffset(TaiwanTime.Offset).ToString("yyMMdd", System.Globalization.CultureInfo.InvariantCulture)
                   + (serial % 100_000_000).ToString("D8", System.Globalization.CultureInfo.InvariantCulture);
        return body + CheckDigit(body);
    }

    public static bool IsWellFormed(string? slipNumber) =>
        slipNumber is { Length: 15 } && slipNumber.All(char.IsAsciiDigit) && CheckDigit(slipNumber[..^1]) == slipNumber[^1];

    private static char CheckDigit(string body)
    {
        var sum = 0;
        for (var i = 0; i < body.Length; i++)
        {
            // Luhn: double every second digit counting from the right of the body.
            var digit = body[body.Length - 1 - i] - '0';
            if (i % 2 == 0)
            {
                digit *= 2;
                if (digit > 9)
                    digit -= 9;
            }
            sum += digit;
        }
        return (char)('0' + (10 - sum % 10) % 10);
    }
}
