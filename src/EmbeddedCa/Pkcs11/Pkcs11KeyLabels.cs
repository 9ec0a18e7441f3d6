namespace EmbeddedCa.Pkcs11;

/// <summary>CKA_LABEL of each CA key in the token; every replica on one token finds the same keys by them.</summary>
public sealed record Pkcs11KeyLabels(string Root, string Issuing, string CmpSigner)
{
    public string For(CaKeyRole role) => role switch
    {
        CaKeyRole.Root => Root,
        CaKeyRole.Issuing => Issuing,
        CaKeyRole.CmpSigner => CmpSigner,
    };
}
