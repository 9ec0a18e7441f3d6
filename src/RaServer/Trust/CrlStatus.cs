using System.Numerics;
using RaServer.Domain;
using RaServer.Hosting;
using RaServer.Policy;
using RaServer.Storage;

namespace RaServer.Trust;

/// <summary>What the RA holds for one issuing CA's CRL; persisted by the CRL fetcher.</summary>
/// <param name="IssuerKeyId">Key identifier of the CA that signed the CRL (see <see cref="KeyIdentifiers"/>).</param>
public sealed record CrlStatus(
    string IssuerKeyId,
    string IssuerDn,
    BigInteger CrlNumber,
    DateTimeOffset ThisUpdate,
    DateTimeOffset NextUpdate,
    int RevokedCount);
