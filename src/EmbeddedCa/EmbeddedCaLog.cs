using Microsoft.Extensions.Logging;

namespace EmbeddedCa;

internal static partial class EmbeddedCaLog
{
    [LoggerMessage(EventId = 7101, Level = LogLevel.Information, Message = "Embedded CA ready: issuing CA {Issuer}, key {KeyAlgorithm} ({KeySource}), created {CreatedAt}")]
    public static partial void Ready(ILogger logger, string issuer, CaKeyAlgorithm keyAlgorithm, CaKeySourceKind keySource, DateTimeOffset createdAt);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Information, Message = "Issued certificate {Serial} ({Kind}) for request {RequestKey}")]
    public static partial void Issued(ILogger logger, string serial, CertificateKind kind, string requestKey);

    [LoggerMessage(EventId = 7103, Level = LogLevel.Warning, Message = "Refused CSR for request {RequestKey}: {FailureInfo} {Detail}")]
    public static partial void CsrRefused(ILogger logger, string requestKey, CmpFailureInfo failureInfo, string detail);

    [LoggerMessage(EventId = 7104, Level = LogLevel.Information, Message = "Certificate {Serial}: {Request} ({Reason}) -> {Outcome}: {Text}")]
    public static partial void StatusChanged(ILogger logger, string serial, StatusRequest request, RevocationReason reason, StatusOutcome outcome, string text);

    [LoggerMessage(EventId = 7105, Level = LogLevel.Information, Message = "Published CRL {CrlNumber} with {Entries} entries, next update {NextUpdate}")]
    public static partial void CrlPublished(ILogger logger, long crlNumber, int entries, DateTimeOffset nextUpdate);

    [LoggerMessage(EventId = 7106, Level = LogLevel.Error, Message = "CRL publication failed; the scheduled refresh will try again")]
    public static partial void CrlFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 7107, Level = LogLevel.Warning, Message = "CMP request refused: {FailureInfo} {Text}")]
    public static partial void CmpRefused(ILogger logger, CmpFailureInfo failureInfo, string text);
}
