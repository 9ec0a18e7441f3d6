namespace Ra.DevPki;

/// <summary>The key types the dev PKI can mint. Government leaves are RSA-2048; P-256 is there for fast tests.</summary>
public enum KeyAlgorithm
{
    Rsa2048,
    EcdsaP256,
}
