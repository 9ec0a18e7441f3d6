using System.Numerics;

namespace RaServer.Domain;

/// <summary>What the RA holds for one issuing CA's CRL; persisted by the CRL fetcher.</summary>
/// <param name="IssuerKeyId">Key identifier of the CA that signed the CRL (as RaServer.Trust.KeyIdentifiers computes it).</param>
public sealed record CrlStatus(
    string IssuerKeyId,
    string IssuerDn,
    BigInteger CrlNumber,
    DateTimeOffset ThisUpdate,
    DateTimeOffset NextUpdate,
    int RevokedCount);
