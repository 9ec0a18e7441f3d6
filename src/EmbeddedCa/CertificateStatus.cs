namespace EmbeddedCa;

/// <summary>Where a certificate stands at the embedded CA; expiry is read from the certificate, not stored.</summary>
public enum CertificateStatus
{
    Active,

    /// <summary>On hold (certificateHold): listed on the CRL, and the only state that can be undone.</summary>
    Held,

    /// <summary>Permanently revoked; final.</summary>
    Revoked,
}
