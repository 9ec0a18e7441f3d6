namespace RaServer.Domain;

/// <summary>The paper-intake facts stored with a paper application.</summary>
public sealed record PaperIntakeInfo(string OfficeCode, string ClerkId);

/// <summary>A reason an application was rejected, as stored and as sent to the applicant.</summary>
public sealed record Rejection(string Code, string Text, string? Field);
