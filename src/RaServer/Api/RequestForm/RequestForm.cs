using System.Collections;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using RaServer.Domain;

namespace RaServer.Api;

/// <summary>
/// The form of a request, checked by its descriptor before any RPC reads it (options.proto): strings within their
/// max_length and free of U+0000, bytes within their max_size, enums holding defined values, timestamps in range,
/// through nested messages and repeated fields. Without it an undefined enum or an out-of-range timestamp throws deep
/// in a mapping (INTERNAL), and U+0000 reaches PostgreSQL, which refuses it. Descriptions name the limit, never the
/// value, so a refusal stays small whatever was sent.
/// </summary>
internal static class RequestForm
{
    /// <summary>Enough to show a client what is wrong; the status header must stay small.</summary>
    private const int MaxViolations = 10;

    // Timestamp's documented range: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z.
    private const long MinSeconds = -62_135_596_800;
    private const long MaxSeconds = 253_402_300_799;

    /// <summary>One malformed field, by its path from the checked message ("operator.kind", "reasons[1].text").</summary>
    public sealed record Violation(string Reason, string Field, string Description);

    /// <summary>Throws INVALID_ARGUMENT, reason of the first violation, naming every (up to ten) malformed field.</summary>
    public static void EnsureWellFormed(IMessage message, string prefix = "")
    {
        var found = ViolationsOf(message, prefix);
        if (found.Count == 0)
            return;
        var first = found[0];
        throw new RaException(RaErrorKind.Invalid, first.Reason, $"the request is malformed: {first.Field} is {first.Description}",
            found.Select(v => new FieldProblem(v.Field, v.Description)).ToList());
    }

    /// <summary>The malformed fields of <paramref name="message"/> (up to ten), for a caller that answers per record.</summary>
    public static IReadOnlyList<Violation> ViolationsOf(IMessage message, string prefix = "")
    {
        var found = new List<Violation>();
        Walk(message, prefix, found);
        return found;
    }

    private static void Walk(IMessage message, string prefix, List<Violation> found)
    {
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            if (found.Count >= MaxViolations)
                return;
            var path = prefix + field.Name;
            if (field.IsMap)
            {
                foreach (DictionaryEntry entry in (IDictionary)field.Accessor.GetValue(message))
                    CheckValue(field.MessageType.FindFieldByNumber(2), entry.Value, $"{path}[]", found);
            }
            else if (field.IsRepeated)
            {
                var index = 0;
                foreach (var item in (IList)field.Accessor.GetValue(message))
                    CheckValue(field, item, $"{path}[{index++}]", found);
            }
            else if (!field.HasPresence || field.Accessor.HasValue(message))
            {
                CheckValue(field, field.Accessor.GetValue(message), path, found);
            }
        }
    }

    private static void CheckValue(FieldDescriptor field, object? value, string path, List<Violation> found)
    {
        switch (field.FieldType)
        {
            case FieldType.String:
                CheckString(field, (string)value!, path, found);
                break;
            case FieldType.Bytes:
                if (((ByteString)value!).Length > FieldLimits.Of(field))
                    found.Add(new(InputReasons.FieldTooLong, path, $"larger than {FieldLimits.Of(field)} bytes"));
                break;
            case FieldType.Enum:
                if (field.EnumType.FindValueByNumber(Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)) is null)
                    found.Add(new(InputReasons.EnumValueUndefined, path, $"not a value of {field.EnumType.Name}"));
                break;
            case FieldType.Message:
            case FieldType.Group:
                if (value is Timestamp timestamp)
                    CheckTimestamp(timestamp, path, found);
                else if (value is IMessage nested)
                    Walk(nested, path + ".", found);
                break;
            case FieldType.Double:
            case FieldType.Float:
            case FieldType.Int64:
            case FieldType.UInt64:
            case FieldType.Int32:
            case FieldType.Fixed64:
            case FieldType.Fixed32:
            case FieldType.Bool:
            case FieldType.UInt32:
            case FieldType.SFixed32:
            case FieldType.SFixed64:
            case FieldType.SInt32:
            case FieldType.SInt64:
                break; // every number of the wire type is a value; the RPCs check ranges that carry meaning
        }
    }

    private static void CheckString(FieldDescriptor field, string text, string path, List<Violation> found)
    {
        var max = FieldLimits.Of(field);
        // A code point is one or two UTF-16 units, so only a string longer than max in units can be too long.
        if (text.Length > max && text.EnumerateRunes().Count() > max)
            found.Add(new(InputReasons.FieldTooLong, path, $"longer than {max} characters"));
        else if (text.Contains('\0', StringComparison.Ordinal))
            found.Add(new(InputReasons.FieldContainsNul, path, "a string containing U+0000"));
    }

    private static void CheckTimestamp(Timestamp timestamp, string path, List<Violation> found)
    {
        if (timestamp.Seconds is < MinSeconds or > MaxSeconds || timestamp.Nanos is < 0 or > 999_999_999)
            found.Add(new(InputReasons.TimestampOutOfRange, path,
                "outside 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z (nanos 0 to 999,999,999)"));
    }
}
