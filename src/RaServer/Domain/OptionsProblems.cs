using Microsoft.Extensions.Options;

namespace RaServer.Domain;

/// <summary>
/// What is wrong with one configuration section, for that section's <see cref="IValidateOptions{TOptions}"/>. Every
/// problem starts with its full configuration key ("Fees:Schedule:0:AmountNtd must be positive, not 0."), so the
/// operator can fix the file from the message alone, and every problem is reported at once rather than the first.
/// </summary>
internal sealed class OptionsProblems(string section)
{
    /// <summary>
    /// The longest duration a setting may have. .NET timers (Task.Delay, PeriodicTimer) refuse periods beyond some
    /// 49.7 days; no setting needs more, and one bound for every duration keeps "now + setting" in range too.
    /// </summary>
    public static readonly TimeSpan LongestDuration = TimeSpan.FromDays(49);

    private readonly List<string> problems = [];

    /// <summary>The full configuration key of <paramref name="key"/>, a key inside the section ("Smtp:Port", "Schedule:0:Kind").</summary>
    public string Key(string key) => $"{section}:{key}";

    public void Add(string key, string problem) => problems.Add($"{Key(key)} {problem}");

    public void Check(bool valid, string key, string problem)
    {
        if (!valid)
            Add(key, problem);
    }

    public void Required(string? value, string key) => Check(!string.IsNullOrWhiteSpace(value), key, "is required.");

    public void Between(long value, long minimum, long maximum, string key) =>
        Check(value >= minimum && value <= maximum, key, $"must be {minimum}-{maximum}, not {value}.");

    public void Positive(long value, string key) => Check(value > 0, key, $"must be positive, not {value}.");

    public void Duration(TimeSpan value, string key) =>
        Check(value > TimeSpan.Zero && value <= LongestDuration, key, $"must be positive and at most 49 days, not {value}.");

    /// <summary>Catches a number bound to an enum that names none of its values ("DayOfWeek": "7").</summary>
    public void Defined<TEnum>(TEnum value, string key) where TEnum : struct, Enum =>
        Check(Enum.IsDefined(value), key, $"must be one of {string.Join(", ", Enum.GetNames<TEnum>())}, not {value}.");

    public void OneOf(string? value, IReadOnlyCollection<string> allowed, string key) =>
        Check(value is not null && allowed.Contains(value), key, $"must be one of {string.Join(", ", allowed)}, not '{value}'.");

    public void HttpUrl(string value, string key) =>
        Check(IsHttpUrl(value), key, $"must be an absolute http or https URL, not '{value}'.");

    public void ExistingFile(string? path, string key)
    {
        if (string.IsNullOrWhiteSpace(path))
            Add(key, "is required.");
        else
            Check(File.Exists(path), key, $"must name an existing file; '{path}' does not exist.");
    }

    public ValidateOptionsResult Result() =>
        problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);

    private static bool IsHttpUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
