namespace RaServer.Policy;

/// <summary>
/// Checksums of Taiwan's identifiers, as verified in docs/DOMAIN.md: the Unified Business Number under the
/// rule in force since April 2023 (sum % 5, with the 7th-digit-is-7 case), national IDs, and resident
/// numbers of both the 2021 format and the older two-letter format.
/// </summary>
public static class TaiwanIdentifiers
{
    private static readonly int[] UbnWeights = [1, 2, 1, 2, 1, 2, 4, 1];
    private static readonly int[] PersonWeights = [1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1];

    public static bool IsValidUbn(string? ubn)
    {
        if (ubn is not { Length: 8 } || !ubn.All(char.IsAsciiDigit))
            return false;
        var sum = 0;
        for (var i = 0; i < 8; i++)
        {
            // Each product is replaced by the sum of its digits once (28 -> 10, not 1).
            var product = (ubn[i] - '0') * UbnWeights[i];
            sum += product / 10 + product % 10;
        }
        return sum % 5 == 0 || (ubn[6] == '7' && (sum + 1) % 5 == 0);
    }

    /// <summary>National ID (A123456789), 2021 resident number (A800000014) or old resident number (AA00000009).</summary>
    public static bool IsValidPersonId(string? id)
    {
        if (id is not { Length: 10 } || LetterCode(id[0]) is not { } first || !id[2..].All(char.IsAsciiDigit))
            return false;
        int second;
        if (id[1] is '1' or '2' or '8' or '9')
            second = id[1] - '0';
        else if (id[1] is >= 'A' and <= 'D')
            second = LetterCode(id[1])!.Value % 10; // old resident numbers: units digit of the letter's code
        else
            return false;

        Span<int> digits = stackalloc int[11];
        digits[0] = first / 10;
        digits[1] = first % 10;
        digits[2] = second;
        for (var i = 2; i < 10; i++)
            digits[i + 1] = id[i] - '0';
        var sum = 0;
        for (var i = 0; i < 11; i++)
            sum += digits[i] * PersonWeights[i];
        return sum % 10 == 0;
    }

    private static int? LetterCode(char letter) => letter switch
    {
        'A' => 10, 'B' => 11, 'C' => 12, 'D' => 13, 'E' => 14, 'F' => 15, 'G' => 16, 'H' => 17,
        'I' => 34, 'J' => 18, 'K' => 19, 'L' => 20, 'M' => 21, 'N' => 22, 'O' => 35, 'P' => 23,
        'Q' => 24, 'R' => 25, 'S' => 26, 'T' => 27, 'U' => 28, 'V' => 29, 'W' => 32, 'X' => 30,
        'Y' => 31, 'Z' => 33,
        _ => null,
    };
}
