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

public sealed class ProcedureText
{
    /// <summary>NEW, RENEW, REVOKE, SUSPEND or UNSUSPEND.</summary>
    public string ServiceType { get; set; } = "";
    /// <summary>PERSONAL, ORGANIZATION, or empty for both.</summary>
    public string Kind { get; set; } = "";
    public string Title { get; set; } = "";
    public List<string> Steps { get; set; } = [];
}

public sealed class IdentityRequirementText
{
    public string AppliesTo { get; set; } = "";
    public string SigningCertificateAuthority { get; set; } = "";
    public string Description { get; set; } = "";
}

public sealed class CertificateTypeText
{
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
}
