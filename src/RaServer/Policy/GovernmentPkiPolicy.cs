using RaServer.Domain;

namespace RaServer.Policy;

/// <summary>
/// Which government CA a certificate comes from and whom that CA serves (the manual's § 貳.一, Table 2;
/// docs/DOMAIN.md): the rules for registering a government PKI certificate for Single Window use. Pure.
/// </summary>
public static class GovernmentPkiPolicy
{
    /// <summary>The O= the issuing CAs share under GRCA.</summary>
    public const string IssuingOrganization = "行政院";

    /// <summary>
    /// The CA named by an issuer's O= and OU=. Only the name: trust comes from the chain to a configured anchor, which
    /// the caller has checked, and generations sharing one name are the same CA here.
    /// </summary>
    public static GovernmentAuthority? AuthorityNamed(string? organization, string? unit) =>
        organization != IssuingOrganization ? null : unit switch
        {
            "工商憑證管理中心" => GovernmentAuthority.Moeaca,
            "內政部憑證管理中心" => GovernmentAuthority.Moica,
            "政府憑證管理中心" => GovernmentAuthority.Gca,
            "組織及團體憑證管理中心" => GovernmentAuthority.Xca,
            _ => null,
        };

    /// <summary>The one kind of holder each CA serves.</summary>
    public static GovernmentHolderType Serves(GovernmentAuthority authority) => authority switch
    {
        GovernmentAuthority.Moeaca => GovernmentHolderType.Firm,
        GovernmentAuthority.Moica => GovernmentHolderType.Person,
        GovernmentAuthority.Gca => GovernmentHolderType.Agency,
        GovernmentAuthority.Xca => GovernmentHolderType.Organisation,
    };

    /// <summary>
    /// Whether the holder is identified as that kind of holder is: a person by a national ID, everyone else by a UBN.
    /// Pass the identifiers the request was bound to, which are those the certificate carries.
    /// </summary>
    public static bool CarriesIdentifier(GovernmentHolderType kind, string? ubn, string? nationalId) => kind switch
    {
        GovernmentHolderType.Person => nationalId is not null,
        GovernmentHolderType.Firm or GovernmentHolderType.Agency or GovernmentHolderType.Organisation => ubn is not null,
    };

    /// <summary>The customs profile a holder kind is listed under: a person's certificate as PERSONAL, the rest as ORGANIZATION.</summary>
    public static string ListedKind(GovernmentHolderType kind) => kind switch
    {
        GovernmentHolderType.Person => "PERSONAL",
        GovernmentHolderType.Firm or GovernmentHolderType.Agency or GovernmentHolderType.Organisation => "ORGANIZATION",
    };

    /// <summary>
    /// The state the RA shows for a government certificate: its CA's CRL first (a revocation wins over a hold), then its
    /// dates. A CRL that cannot be read says nothing, so the dates decide.
    /// </summary>
    public static string StateOf(CustomsCertificateStanding standing, DateTimeOffset notAfter, DateTimeOffset now) => standing switch
    {
        CustomsCertificateStanding.Revoked => "REVOKED",
        CustomsCertificateStanding.OnHold => "SUSPENDED",
        CustomsCertificateStanding.Good or CustomsCertificateStanding.Unknown => notAfter <= now ? "EXPIRED" : "ACTIVE",
    };
}
