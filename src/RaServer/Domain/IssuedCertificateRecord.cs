namespace RaServer.Domain;

/// <summary>A certificate the CA issued for an application, as the RA records it.</summary>
public sealed record IssuedCertificateRecord(
    string SerialHex, string Kind, string? HolderNationalId, string HolderName, string FirmUbn, string? OwnerUbn, string? OwnerNationalId,
    DateTime NotBefore, DateTime NotAfter, byte[] Der, byte[][] ChainDer, Guid ApplicationId, string? RenewsSerialHex);
