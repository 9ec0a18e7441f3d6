namespace RaServer.Domain;

/// <summary>What kind of holder signed a request, judged by the identifiers in the certificate.</summary>
public enum SignerKind
{
    /// <summary>Carries a UBN: a company certificate (MOEACA).</summary>
    Organization,

    /// <summary>Carries the last four national-ID digits: a citizen certificate (MOICA).</summary>
    Person,

    /// <summary>Neither, e.g. a GCA or XCA certificate with only an organisation identifier.</summary>
    Other,
}
