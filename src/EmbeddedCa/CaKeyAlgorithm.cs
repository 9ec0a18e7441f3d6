namespace EmbeddedCa;

/// <summary>Key type of the embedded CA's own keys (root, issuing CA, CMP signer).</summary>
public enum CaKeyAlgorithm
{
    /// <summary>The default: a P-256 signature costs a fraction of an RSA one (docs/PERFORMANCE.md).</summary>
    EcdsaP256,

    /// <summary>For relying parties that only take RSA; about 8 times slower to issue with.</summary>
    Rsa2048,
}
