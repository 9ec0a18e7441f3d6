using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using Ra.Cli.Output;

namespace Ra.Cli.Commands;

/// <summary>
/// Typed options the commands share: proto enums by their short names (with completion), calendar dates as the RA
/// writes them (YYYY-MM-DD), points in time. A malformed value is a usage error (exit 2) before any call.
/// </summary>
public static partial class Opt
{
    public static Option<string> Text(string name, string description, bool required = false, string? helpName = null) =>
        new(name) { Description = description, Required = required, HelpName = helpName };

    public static Option<T> Enum<T>(string name, string description, bool required = false, T? defaultValue = null)
        where T : struct, System.Enum
    {
        var names = ProtoEnums.Values<T>().Select(v => ProtoEnums.Kebab(v.Name)).ToArray();
        var option = new Option<T>(name)
        {
            Description = $"{description} ({string.Join(", ", names)})",
            Required = required,
            HelpName = "VALUE",
            CustomParser = result =>
            {
                var text = result.Tokens.Single().Value;
                if (ProtoEnums.Parse<T>(text) is { } value)
                    return value;
                result.AddError($"{name}: '{text}' is not one of {string.Join(", ", names)}");
                return default;
            },
        };
        if (defaultValue is { } fallback)
            option.DefaultValueFactory = _ => fallback;
        option.CompletionSources.Clear(); // the built-in source offers the C# names (CustomsBroker)
        option.CompletionSources.Add(names);
        return option;
    }

    /// <summary>A calendar date in Taiwan time, "YYYY-MM-DD", the form the registry records take.</summary>
    public static Option<string> Date(string name, string description, bool required = false) => new(name)
    {
        Description = $"{description} (YYYY-MM-DD)",
        Required = required,
        HelpName = "DATE",
        CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                return text;
            result.AddError($"{name}: '{text}' is not a date like 2025-01-31");
            return null;
        },
    };

    /// <summary>A point in time, ISO 8601; without an offset it is Taiwan time (UTC+8).</summary>
    public static Option<DateTimeOffset> Instant(string name, string description) => new(name)
    {
        Description = $"{description} (e.g. 2025-03-01T10:30:00+08:00; no offset means Taiwan time; default: now)",
        HelpName = "TIME",
        DefaultValueFactory = _ => DateTimeOffset.UtcNow,
        CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            var hasOffset = OffsetSuffix().IsMatch(text);
            if (hasOffset && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var withOffset))
                return withOffset;
            if (!hasOffset && DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
                return new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), TimeSpan.FromHours(8));
            result.AddError($"{name}: '{text}' is not a time like 2025-03-01T10:30:00+08:00");
            return default;
        },
    };

    [GeneratedRegex(@"(Z|[+-]\d\d:?\d\d)$", RegexOptions.IgnoreCase)]
    private static partial Regex OffsetSuffix();
}
