namespace EmbeddedCa;

/// <summary>
/// The CA's keys and certificates as they are kept at rest: certificates in DER and, for sealed keys, the private
/// keys as encrypted PKCS#8 PEM that is useless without the passphrase. Keys held in a token are not here at all
/// (their PEMs are null): the token finds them by label. One row shared by every replica.
/// </summary>
public sealed record StoredCaMaterial(
    CaKeyAlgorithm KeyAlgorithm,
    CaKeySourceKind KeySource,
    byte[] RootCertificate,
    string? RootKeyPem,
    byte[] IssuingCertificate,
    string? IssuingKeyPem,
    byte[] CmpSignerCertificate,
    string? CmpSignerKeyPem,
    DateTimeOffset CreatedAt)
{
    public byte[] Certificate(CaKeyRole role) => role switch
    {
        CaKeyRole.Root => RootCertificate,
        CaKeyRole.Issuing => IssuingCertificate,
        CaKeyRole.CmpSigner => CmpSignerCertificate,
    };

    public string? KeyPem(CaKeyRole role) => role switch
    {
        CaKeyRole.Root => RootKeyPem,
        CaKeyRole.Issuing => IssuingKeyPem,
        CaKeyRole.CmpSigner => CmpSignerKeyPem,
    };
}
