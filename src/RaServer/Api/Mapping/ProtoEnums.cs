using Customs.Ra.V1;

namespace RaServer.Api;

/// <summary>
/// The RA stores and configures enum values by their short names ("NEW", "PERSONAL"); the contract
/// prefixes them ("SERVICE_TYPE_NEW"). These convert between the two in one place.
/// </summary>
internal static class ProtoEnums
{
    public static ServiceType ServiceType(string name) => Parse<ServiceType>("SERVICE_TYPE_", name);
    public static CertificateKind Kind(string name) => Parse<CertificateKind>("CERTIFICATE_KIND_", name);

    /// <summary>The holder kind a registrant declares; null when it declared none.</summary>
    public static Domain.GovernmentHolderType? HolderType(GovernmentHolderKind kind) => kind switch
    {
        GovernmentHolderKind.Unspecified => null,
        GovernmentHolderKind.Firm => Domain.GovernmentHolderType.Firm,
        GovernmentHolderKind.Person => Domain.GovernmentHolderType.Person,
        GovernmentHolderKind.Agency => Domain.GovernmentHolderType.Agency,
        GovernmentHolderKind.Organisation => Domain.GovernmentHolderType.Organisation,
    };

    /// <summary>Whether a slip request asks for the printable PDF besides the structured slip.</summary>
    public static bool WantsPdf(SlipFormat format) => format switch
    {
        SlipFormat.Unspecified => false,
        SlipFormat.Pdf => true,
    };

    public static GovernmentHolderKind HolderKind(Domain.GovernmentHolderType type) => type switch
    {
        Domain.GovernmentHolderType.Firm => GovernmentHolderKind.Firm,
        Domain.GovernmentHolderType.Person => GovernmentHolderKind.Person,
        Domain.GovernmentHolderType.Agency => GovernmentHolderKind.Agency,
        Domain.GovernmentHolderType.Organisation => GovernmentHolderKind.Organisation,
    };

    /// <summary>"SERVICE_TYPE_NEW" → "NEW"; the short name is what the database and configuration hold.</summary>
    public static string ShortName<TEnum>(TEnum value) where TEnum : struct, Enum
    {
        var original = OriginalName(value);
        var prefix = ProtoPrefix<TEnum>();
        return original.StartsWith(prefix, StringComparison.Ordinal) ? original[prefix.Length..] : original;
    }

    public static TEnum Parse<TEnum>(string prefix, string shortName) where TEnum : struct, Enum =>
        Names<TEnum>.ByOriginalName.TryGetValue(prefix + shortName, out var value)
            ? value
            : throw new InvalidOperationException($"'{shortName}' is not a {typeof(TEnum).Name}");

    private static string OriginalName<TEnum>(TEnum value) where TEnum : struct, Enum => Names<TEnum>.OriginalNames[value];

    /// <summary>The proto names of an enum's values, read by reflection once per enum type: mapping runs on every response.</summary>
    private static class Names<TEnum> where TEnum : struct, Enum
    {
        public static readonly Dictionary<TEnum, string> OriginalNames = Enum.GetValues<TEnum>().Distinct().ToDictionary(
            value => value,
            value => typeof(TEnum).GetField(value.ToString())!
                .GetCustomAttributes(typeof(Google.Protobuf.Reflection.OriginalNameAttribute), false)
                .Cast<Google.Protobuf.Reflection.OriginalNameAttribute>().Single().Name);

        public static readonly Dictionary<string, TEnum> ByOriginalName = OriginalNames.ToDictionary(pair => pair.Value, pair => pair.Key);
    }

    /// <summary>The proto prefix of an enum: its name in UPPER_SNAKE_CASE plus "_" (buf's ENUM_VALUE_PREFIX rule).</summary>
    private static string ProtoPrefix<TEnum>() =>
        string.Concat(typeof(TEnum).Name.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : c.ToString())).ToUpperInvariant() + "_";
}
