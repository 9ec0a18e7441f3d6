using EmbeddedCa.Pkcs11;

namespace RaServer.Hosting;

/// <summary>
/// Part "Pkcs11" of the "EmbeddedCa" section: the PKCS#11 token that holds the CA's keys when EmbeddedCa:KeySource is
/// Pkcs11 (docs/HSM.md). Checked by <see cref="EmbeddedCaOptionsValidator"/>, and the token opened at start by
/// <see cref="EmbeddedCaKeyTokenValidator"/>.
/// </summary>
public sealed class EmbeddedCaPkcs11Options
{
    /// <summary>Path of the token's PKCS#11 module (the HSM vendor's library; /usr/lib/softhsm/libsofthsm2.so for softhsm2).</summary>
    public string Library { get; set; } = "";

    /// <summary>Label of the token that holds (or will hold) the CA's keys.</summary>
    public string TokenLabel { get; set; } = "";

    /// <summary>A file whose first line is the token's user PIN, readable by the RA's account alone. Set this or <see cref="Pin"/>.</summary>
    public string PinFile { get; set; } = "";

    /// <summary>
    /// The user PIN, meant for the environment (EmbeddedCa__Pkcs11__Pin) or a secret store, never a configuration file
    /// under version control. Set this or <see cref="PinFile"/>, not both.
    /// </summary>
    public string Pin { get; set; } = "";

    /// <summary>Label of the root key in the token; made there on the CA's first start unless an operator made it at setup.</summary>
    public string RootKeyLabel { get; set; } = "customs-ca-root";

    /// <summary>Label of the issuing CA's key, which signs certificates and CRLs.</summary>
    public string IssuingKeyLabel { get; set; } = "customs-ca-issuing";

    /// <summary>Label of the CMP signer's key, which signs CMP answers.</summary>
    public string CmpSignerKeyLabel { get; set; } = "customs-ca-cmp-signer";

    /// <summary>Token sessions that sign at once, per replica; the machine's cores are the useful most.</summary>
    public int Sessions { get; set; } = 2;

    /// <summary>The PIN from <see cref="Pin"/>, or the first line of <see cref="PinFile"/>.</summary>
    public string ReadPin() => Pin.Length > 0 ? Pin : File.ReadLines(PinFile).FirstOrDefault()?.Trim() ?? "";

    public Pkcs11TokenSettings ToTokenSettings() => new() { LibraryPath = Library, TokenLabel = TokenLabel, Pin = ReadPin(), Sessions = Sessions };

    public Pkcs11KeyLabels KeyLabels() => new(RootKeyLabel, IssuingKeyLabel, CmpSignerKeyLabel);
}
