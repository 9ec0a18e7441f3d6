namespace RaServer.Api;

/// <summary>
/// Configuration section "RaInfo": what the manual asks the RA to publish (GetRaInfo). The defaults
/// live in appsettings.json so that an operator edits text, not code.
/// </summary>
public sealed class RaInfoOptions
{
    public const string Section = "RaInfo";

    /// <summary>The RA's name as shown to applicants.</summary>
    public string Name { get; set; } = "";

    /// <summary>The RA's public web address.</summary>
    public string Url { get; set; } = "";

    /// <summary>The e-mail address applicants write to.</summary>
    public string Email { get; set; } = "";

    /// <summary>The service telephone number.</summary>
    public string ContactPhone { get; set; } = "";

    /// <summary>The postal address.</summary>
    public string ContactAddress { get; set; } = "";

    /// <summary>The published application procedures.</summary>
    public List<ProcedureText> Procedures { get; set; } = [];

    /// <summary>Which identity certificates applicants sign with, and for what.</summary>
    public List<IdentityRequirementText> IdentityRequirements { get; set; } = [];

    /// <summary>The certificate types accepted for Single Window registration.</summary>
    public List<CertificateTypeText> AcceptedCertificateTypes { get; set; } = [];
}

/// <summary>One published procedure (section "RaInfo:Procedures").</summary>
public sealed class ProcedureText
{
    /// <summary>NEW, RENEW, REVOKE, SUSPEND or UNSUSPEND.</summary>
    public string ServiceType { get; set; } = "";

    /// <summary>PERSONAL, ORGANIZATION, or empty for both.</summary>
    public string Kind { get; set; } = "";

    /// <summary>The procedure's heading, e.g. "新申請 New certificate".</summary>
    public string Title { get; set; } = "";

    /// <summary>The steps in the order the applicant takes them.</summary>
    public List<string> Steps { get; set; } = [];
}

/// <summary>One identity requirement (section "RaInfo:IdentityRequirements").</summary>
public sealed class IdentityRequirementText
{
    /// <summary>Who the requirement is for, e.g. "ORGANIZATION 連線業者".</summary>
    public string AppliesTo { get; set; } = "";

    /// <summary>The government CA whose certificate they sign with, e.g. "MOEACA 工商憑證".</summary>
    public string SigningCertificateAuthority { get; set; } = "";

    /// <summary>What they sign and how, in the applicant's words.</summary>
    public string Description { get; set; } = "";
}

/// <summary>One accepted certificate type (section "RaInfo:AcceptedCertificateTypes").</summary>
public sealed class CertificateTypeText
{
    /// <summary>Its short code, e.g. "MOICA".</summary>
    public string Code { get; set; } = "";

    /// <summary>Its name as applicants know it, e.g. "自然人憑證".</summary>
    public string Name { get; set; } = "";

    /// <summary>Who holds it.</summary>
    public string Description { get; set; } = "";
}
