namespace EmbeddedCa.Pkcs11;

/// <summary>Which token of which PKCS#11 module holds the CA's keys, and how to log in to it.</summary>
public sealed record Pkcs11TokenSettings
{
    /// <summary>Path of the module (the HSM vendor's shared library; /usr/lib/softhsm/libsofthsm2.so for softhsm2).</summary>
    public required string LibraryPath { get; init; }

    /// <summary>CKA_LABEL of the token (softhsm2-util --init-token --label).</summary>
    public required string TokenLabel { get; init; }

    /// <summary>The user PIN; read from a file or the environment by the host, never from a configuration file.</summary>
    public required string Pin { get; init; }

    /// <summary>Sessions signing at once; more than the machine's cores buys nothing.</summary>
    public int Sessions { get; init; } = 2;
}
