using System.Security.Cryptography;

namespace EmbeddedCa;

/// <summary>The default key source: keys made by .NET and kept in the CA's store as PEM sealed with a passphrase.</summary>
public sealed class SealedCaKeySource : ICaKeySource
{
    private readonly string _passphrase;
    private readonly int _iterations;

    /// <param name="iterations">PBKDF2 rounds for keys sealed here (tests lower it); opening reads the count from the PEM.</param>
    public SealedCaKeySource(string passphrase, int iterations = CaKeys.DefaultSealingIterations)
    {
        if (string.IsNullOrEmpty(passphrase))
            throw new ArgumentException("The CA key passphrase is empty.", nameof(passphrase));
        _passphrase = passphrase;
        _iterations = iterations;
    }

    public CaKeySourceKind Kind => CaKeySourceKind.Sealed;

    public AsymmetricAlgorithm CreateKey(CaKeyRole role, CaKeyAlgorithm algorithm) => CaKeys.Generate(algorithm);

    public string Seal(AsymmetricAlgorithm key) => CaKeys.Seal(key, _passphrase, _iterations);

    public AsymmetricAlgorithm Open(CaKeyRole role, StoredCaMaterial stored) =>
        CaKeys.Open(stored.KeyPem(role) ?? throw new CryptographicException($"The stored CA has no sealed {role} key."), stored.KeyAlgorithm, _passphrase);
}
