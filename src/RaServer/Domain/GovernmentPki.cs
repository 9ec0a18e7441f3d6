namespace RaServer.Domain;

/// <summary>The issuing CAs of the government PKI whose certificates may be registered for Single Window use (docs/DOMAIN.md).</summary>
public enum GovernmentAuthority
{
    /// <summary>工商憑證管理中心: companies, branches and firms.</summary>
    Moeaca,

    /// <summary>內政部憑證管理中心: citizens (licensed brokers, individual self-filers).</summary>
    Moica,

    /// <summary>政府憑證管理中心: government agencies.</summary>
    Gca,

    /// <summary>組織及團體憑證管理中心: schools, foundations, associations and other organisations.</summary>
    Xca,
}

/// <summary>The kind of holder a government CA serves, as declared when its certificate is registered.</summary>
public enum GovernmentHolderType
{
    Firm,
    Person,
    Agency,
    Organisation,
}
