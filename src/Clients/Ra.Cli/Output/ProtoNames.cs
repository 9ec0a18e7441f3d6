using System.Text;
using Google.Protobuf.Reflection;

namespace Ra.Cli.Output;

/// <summary>
/// Enum values as people type and read them: the proto value name without its enum's prefix
/// (OPERATOR_KIND_CUSTOMS_BROKER is CUSTOMS_BROKER, typed customs-broker or CUSTOMS_BROKER).
/// </summary>
public static class ProtoNames
{
    public static string Short(EnumValueDescriptor value)
    {
        var prefix = UpperSnake(value.EnumDescriptor.Name) + "_";
        return value.Name.StartsWith(prefix, StringComparison.Ordinal) ? value.Name[prefix.Length..] : value.Name;
    }

    public static string UpperSnake(string pascal)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < pascal.Length; i++)
        {
            if (i > 0 && char.IsUpper(pascal[i]))
                builder.Append('_');
            builder.Append(char.ToUpperInvariant(pascal[i]));
        }
        return builder.ToString();
    }
}
