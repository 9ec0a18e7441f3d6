using System.Collections.Concurrent;
using Customs.Ra.V1;
using Google.Protobuf.Reflection;

namespace RaServer.Api;

/// <summary>
/// The size limits the contract declares on string and bytes fields (max_length, max_size in options.proto), read
/// once per field from the descriptors; a field without one gets the default options.proto states.
/// </summary>
internal static class FieldLimits
{
    public const int DefaultMaxLength = 256;
    public const int DefaultMaxSize = 65_536;

    private static readonly ConcurrentDictionary<FieldDescriptor, int> Limits = new();

    /// <summary>Characters (code points) for a string field, bytes for a bytes field.</summary>
    public static int Of(FieldDescriptor field) => Limits.GetOrAdd(field, static f =>
    {
        var options = f.GetOptions();
        var declared = f.FieldType == FieldType.Bytes
            ? options?.GetExtension(OptionsExtensions.MaxSize) ?? 0
            : options?.GetExtension(OptionsExtensions.MaxLength) ?? 0;
        return declared > 0 ? (int)declared : f.FieldType == FieldType.Bytes ? DefaultMaxSize : DefaultMaxLength;
    });

    /// <summary>Whether the field declares its own limit (a contract test wants every request field to).</summary>
    public static bool IsDeclared(FieldDescriptor field)
    {
        var options = field.GetOptions();
        return field.FieldType == FieldType.Bytes
            ? options?.HasExtension(OptionsExtensions.MaxSize) == true
            : options?.HasExtension(OptionsExtensions.MaxLength) == true;
    }
}
