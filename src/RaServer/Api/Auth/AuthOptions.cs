namespace RaServer.Api;

/// <summary>Configuration section "Auth": who may call the system services over mTLS.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>PEM bundle of the CAs (root and intermediates) that issue system client certificates (GCA in production).</summary>
    public string ClientCaBundlePath { get; set; } = "";

    /// <summary>
    /// The allow-list of system clients, keyed by the name the audit log gives them. A name alone proves nothing: the
    /// client-CA bundle holds the government root that also anchors every company's and citizen's CA, so each entry is
    /// pinned to the CA that issued it and to its full subject or its key. A certificate matching no entry is refused.
    /// </summary>
    public Dictionary<string, SystemClientOptions> Clients { get; set; } = new();

    /// <summary>
    /// For each mTLS-protected service (its short name, e.g. "Registry"), the roles allowed to call it.
    /// A service neither listed here nor in <see cref="OpenServices"/> is refused to everyone, so a new service is closed
    /// until someone decides who may call it. The defaults stay
    /// in code so that a missing file leaves the services closed; configuration can add roles to them but not remove any
    /// (it adds to a list's items rather than replacing them).
    /// </summary>
    public Dictionary<string, string[]> ServiceRoles { get; set; } = new()
    {
        ["CustomsOffice"] = [Roles.Officer],
        ["Registry"] = [Roles.Registry],
        ["Payments"] = [Roles.Fees],
        ["Verification"] = [Roles.Verifier],
    };

    /// <summary>
    /// The services that take no client certificate, by full name: applicants sign each request instead
    /// (RegistrationAuthority), and health and reflection say nothing about anyone. Deliberately not configurable.
    /// </summary>
    public static readonly IReadOnlySet<string> OpenServices = new HashSet<string>(StringComparer.Ordinal)
    {
        "customs.ra.v1.RegistrationAuthority",
        "grpc.health.v1.Health",
        "grpc.reflection.v1alpha.ServerReflection",
        "grpc.reflection.v1.ServerReflection",
    };
}

/// <summary>One allowed system client.</summary>
public sealed class SystemClientOptions
{
    /// <summary>Its role: officer, registry, fees or verifier.</summary>
    public string Role { get; set; } = "";

    /// <summary>For officers: the customs office (關區) code the clerk works at, e.g. "AA" (基隆關).</summary>
    public string? OfficeCode { get; set; }

    /// <summary>
    /// Hex SHA-256 of the SubjectPublicKeyInfo of the CA that issues this client's certificate (`openssl x509 -in ca.crt
    /// -noout -pubkey | openssl pkey -pubin -outform DER | sha256sum`). Required: the same name under another CA of the
    /// bundle (or the root itself) is someone else.
    /// </summary>
    public string IssuerSpkiSha256 { get; set; } = "";

    /// <summary>
    /// The client certificate's full subject DN as RFC 4514 writes it, most significant last
    /// (`openssl x509 -noout -subject -nameopt RFC2253`, e.g. "CN=fees,O=RaBackend,C=TW"). Set this or
    /// <see cref="SpkiSha256"/>: the subject pin survives a re-key, the key pin survives nothing.
    /// </summary>
    public string? Subject { get; set; }

    /// <summary>Hex SHA-256 of the client certificate's SubjectPublicKeyInfo; set this or <see cref="Subject"/>.</summary>
    public string? SpkiSha256 { get; set; }
}

public static class Roles
{
    public const string Officer = "officer";
    public const string Registry = "registry";
    public const string Fees = "fees";
    public const string Verifier = "verifier";
}
