namespace EmbeddedCa;

/// <summary>Where the embedded CA's private keys live; stored with the CA, so a CA never changes it by configuration.</summary>
public enum CaKeySourceKind
{
    /// <summary>The default: encrypted PKCS#8 PEM in the CA's store, sealed with a passphrase (<see cref="CaKeys"/>).</summary>
    Sealed,

    /// <summary>In a PKCS#11 token (an HSM, softhsm2 for tests): made there, never extractable, signing done by the token.</summary>
    Pkcs11,
}
