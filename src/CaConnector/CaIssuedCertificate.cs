namespace CaConnector;

/// <summary>What the CA returned for an accepted certification request.</summary>
/// <param name="CertificateDer">The new certificate, DER.</param>
/// <param name="ChainDer">
/// Certificates the CA sent along (caPubs first, then extraCerts, without the new certificate and without
/// duplicates), DER. Unverified: the caller builds and checks the chain against its own trust anchors.
/// </param>
public sealed record CaIssuedCertificate(byte[] CertificateDer, IReadOnlyList<byte[]> ChainDer);
