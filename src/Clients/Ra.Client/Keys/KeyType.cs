namespace Ra.Client.Keys;

/// <summary>
/// The key pairs the SDK makes for a customs-dedicated certificate. The RA accepts more (RSA up to 8192 bits, P-384;
/// see SubmitCsrPayload.csr_der); these are the ones an operator is offered, each accepted by the RA's CSR policy.
/// </summary>
public enum KeyType
{
    /// <summary>ECDSA on NIST P-256, signed with SHA-256: the default; small and fast.</summary>
    EcdsaP256 = 0,

    /// <summary>RSA 2048 bits, PKCS#1 v1.5 with SHA-256: for systems that cannot use ECDSA.</summary>
    Rsa2048 = 1,

    /// <summary>RSA 3072 bits, PKCS#1 v1.5 with SHA-256.</summary>
    Rsa3072 = 2,
}
