

namespace RaServer.Domain;

/// <summary>A validated application as submitted, before it is stored.</summary>
public sealed record ApplicationDraft(ApplicationRequest Request, string ApplicantName, string NoticeEmail, int? RevocationReasonCode);
