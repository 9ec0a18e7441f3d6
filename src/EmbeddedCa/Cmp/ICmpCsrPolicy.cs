using System.Security.Cryptography.X509Certificates;

namespace EmbeddedCa.Cmp;

/// <summary>
/// The key policy a third-party client's p10cr must meet. A CMP client reaches the CA without the RA in front, yet
/// the policy must exist once: the host supplies it (RaServer adapts its Policy.CsrPolicy), and the CA keeps only
/// its own proof-of-possession check (<see cref="CsrProof"/>). The CA checks the proof first and hands the policy the
/// proven key, so a CSR's signature is verified once per request, not once by each.
/// </summary>
public interface ICmpCsrPolicy
{
    /// <returns>Null when the key is acceptable; otherwise why not, with the failInfo to answer.</returns>
    CmpCsrRefusal? CheckKey(PublicKey provenKey);
}

/// <summary>A CSR the policy refuses: the CMP failInfo bit and the text the client is sent.</summary>
public sealed record CmpCsrRefusal(CmpFailureInfo FailureInfo, string Text);
