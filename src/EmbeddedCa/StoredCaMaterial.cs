namespace EmbeddedCa;

/// <summary>
/// The CA's keys and certificates as they are kept at rest: certificates in DER, private keys as encrypted PKCS#8
/// PEM that is useless without the passphrase. One row shared by every replica.
/// </summary>
public sealed record StoredCaMaterial(
    CaKeyAlgorithm KeyAlgorithm,
    byte[] RootCertificate,
    string RootKeyPem,
    byte[] IssuingCertificate,
    string IssuingKeyPem,
    byte[] CmpSignerCertificate,
    string CmpSignerKeyPem,
    DateTimeOffset CreatedAt);
