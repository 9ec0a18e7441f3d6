using System.Reflection;
using Google.Protobuf.Reflection;

namespace Ra.Cli.Output;

/// <summary>
/// A generated C# enum's values under their proto names without the prefix (CUSTOMS_BROKER), read from the
/// [OriginalName] attributes protoc puts on them, for parsing options and printing table cells.
/// </summary>
public static class ProtoEnums
{
    /// <summary>Every value but the UNSPECIFIED zero, with its short name.</summary>
    public static IReadOnlyList<(T Value, string Name)> Values<T>() where T : struct, Enum =>
        typeof(T).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => ((T)f.GetValue(null)!, ShortName<T>(f)))
            .Where(v => Convert.ToInt32(v.Item1, System.Globalization.CultureInfo.InvariantCulture) != 0)
            .ToList();

    public static string Short<T>(T value) where T : struct, Enum =>
        typeof(T).GetField(value.ToString()) is { } field ? ShortName<T>(field) : value.ToString();

    /// <summary>Reads CUSTOMS_BROKER, customs-broker, Customs_Broker or OPERATOR_KIND_CUSTOMS_BROKER.</summary>
    public static T? Parse<T>(string text) where T : struct, Enum
    {
        var wanted = text.Trim().Replace('-', '_').ToUpperInvariant();
        foreach (var (value, name) in Values<T>())
            if (name == wanted || Prefix<T>() + name == wanted)
                return value;
        return null;
    }

    public static string Kebab(string shortName) => shortName.ToLowerInvariant().Replace('_', '-');

    private static string ShortName<T>(FieldInfo field)
    {
        var original = field.GetCustomAttribute<OriginalNameAttribute>()?.Name ?? field.Name;
        var prefix = Prefix<T>();
        return original.StartsWith(prefix, StringComparison.Ordinal) ? original[prefix.Length..] : original;
    }

    private static string Prefix<T>() => ProtoNames.UpperSnake(typeof(T).Name) + "_";
}
