using Customs.Ra.V1;
using RaServer.Domain;
using RaServer.Policy;

namespace RaServer.Api;

/// <summary>A decided certificate status (<see cref="CertificateStatusRule"/>) → the evidence's state and source.</summary>
internal static class StatusMapping
{
    /// <summary>
    /// The state the verdict was drawn from, never the certificate row's on its own: a revocation or hold first, then
    /// expiry (which the verdict ranks next), and UNSPECIFIED when the status could not be known.
    /// </summary>
    public static CertificateState StateOf(CustomsCertificateStanding standing, bool expired) => standing switch
    {
        CustomsCertificateStanding.Revoked => CertificateState.Revoked,
        CustomsCertificateStanding.OnHold => CertificateState.Suspended,
        CustomsCertificateStanding.Good or CustomsCertificateStanding.Unknown when expired => CertificateState.Expired,
        CustomsCertificateStanding.Good => CertificateState.Active,
        CustomsCertificateStanding.Unknown => CertificateState.Unspecified,
    };

    public static StatusSource ToProto(StatusOrigin origin) => origin switch
    {
        StatusOrigin.None => StatusSource.Unspecified,
        StatusOrigin.Crl => StatusSource.Crl,
        StatusOrigin.RaRecords => StatusSource.RaRecords,
    };
}
