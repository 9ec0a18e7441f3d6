using System.Security.Cryptography;

namespace EmbeddedCa;

/// <summary>The three keys of the CA's hierarchy; each has its own label in a token and its own sealed PEM.</summary>
public enum CaKeyRole
{
    Root,
    Issuing,
    CmpSigner,
}

/// <summary>
/// Where <see cref="CaMaterial"/> gets its private keys. Whatever the source, a key is a .NET
/// <see cref="AsymmetricAlgorithm"/> (ECDsa or RSA) that can sign: every signer of the CA (certificates, CRLs, CMP
/// answers) signs through that one hook, so a token-held key needs nothing else changed.
/// </summary>
public interface ICaKeySource
{
    CaKeySourceKind Kind { get; }

    /// <summary>The key of <paramref name="role"/> for a new hierarchy.</summary>
    AsymmetricAlgorithm CreateKey(CaKeyRole role, CaKeyAlgorithm algorithm);

    /// <summary>What the store keeps of the key: its sealed PEM, or null when the key stays in a token.</summary>
    string? Seal(AsymmetricAlgorithm key);

    /// <summary>
    /// The key of <paramref name="role"/> in a stored hierarchy, ready to sign. Throws <see cref="CryptographicException"/>
    /// when it cannot be had (a wrong passphrase, a key the token lacks or that is not the certificate's).
    /// </summary>
    AsymmetricAlgorithm Open(CaKeyRole role, StoredCaMaterial stored);
}
