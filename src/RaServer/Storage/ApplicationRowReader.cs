using Npgsql;
using RaServer.Domain;

namespace RaServer.Storage;

/// <summary>
/// Reads an application row and its slip by ordinal, for GetApplication's hot path: Dapper's multi-mapping was a fifth
/// of that call's CPU (BENCHMARKS.md, T2). The ordinals follow <see cref="RowColumns.Application"/> and then
/// <see cref="RowColumns.PaymentSlip"/>; ApplicationRowReaderTests checks the result equals Dapper's for every column.
/// </summary>
internal static class ApplicationRowReader
{
    public const int SlipOffset = 25;

    public static ApplicationRow Application(NpgsqlDataReader r) => new()
    {
        Id = r.GetGuid(0),
        RequestId = r.GetString(1),
        Channel = r.GetString(2),
        ServiceType = r.GetString(3),
        Kind = r.GetString(4),
        State = ApplicationStateMachine.Parse(r.GetString(5)),
        ApplicantUbn = StringOrNull(r, 6),
        ApplicantNationalId = StringOrNull(r, 7),
        ApplicantName = r.GetString(8),
        SubjectNationalId = StringOrNull(r, 9),
        SubjectName = r.GetString(10),
        SubjectUbn = r.GetString(11),
        NoticeEmail = r.GetString(12),
        CertificateSerialHex = StringOrNull(r, 13),
        RevocationReason = r.IsDBNull(14) ? null : r.GetInt32(14),
        ReceivingOfficeCode = StringOrNull(r, 15),
        RegisteredOfficeCode = StringOrNull(r, 16),
        ClerkId = StringOrNull(r, 17),
        SealsChecked = r.IsDBNull(18) ? null : r.GetBoolean(18),
        RejectionReasons = StringOrNull(r, 19),
        FailureDetail = StringOrNull(r, 20),
        IssuedSerialHex = StringOrNull(r, 21),
        CreatedAt = r.GetDateTime(22),
        UpdatedAt = r.GetDateTime(23),
        LastEventSequence = r.GetInt64(24),
    };

    /// <summary>The slip of a LEFT JOIN, or null when the application has none.</summary>
    public static PaymentSlipRow? Slip(NpgsqlDataReader r) => r.IsDBNull(SlipOffset) ? null : new PaymentSlipRow
    {
        SlipNumber = r.GetString(SlipOffset),
        ApplicationId = r.GetGuid(SlipOffset + 1),
        AmountNtd = r.GetInt64(SlipOffset + 2),
        IssuedAt = r.GetDateTime(SlipOffset + 3),
        DueAt = r.GetDateTime(SlipOffset + 4),
        Status = r.GetString(SlipOffset + 5),
        PaidAt = r.IsDBNull(SlipOffset + 6) ? null : r.GetDateTime(SlipOffset + 6),
        ReceiptReference = StringOrNull(r, SlipOffset + 7),
    };

    private static string? StringOrNull(NpgsqlDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);
}
