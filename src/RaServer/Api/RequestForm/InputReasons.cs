namespace RaServer.Api;

/// <summary>The reasons of a request refused for its form, before any RPC looks at its meaning (options.proto).</summary>
public static class InputReasons
{
    /// <summary>The body does not parse as the RPC's request message.</summary>
    public const string RequestMalformed = "REQUEST_MALFORMED";
    /// <summary>A string over its max_length or a bytes field over its max_size.</summary>
    public const string FieldTooLong = "FIELD_TOO_LONG";
    /// <summary>A string containing U+0000, which PostgreSQL text cannot hold.</summary>
    public const string FieldContainsNul = "FIELD_CONTAINS_NUL";
    /// <summary>An enum field holding a number its enum does not define.</summary>
    public const string EnumValueUndefined = "ENUM_VALUE_UNDEFINED";
    /// <summary>A Timestamp outside years 1 to 9999, or nanos outside 0 to 999,999,999.</summary>
    public const string TimestampOutOfRange = "TIMESTAMP_OUT_OF_RANGE";
}
