using CaConnector;

namespace RaServer.Domain;

/// <summary>What the customs CA's CRL says of one of its certificates.</summary>
public enum CustomsCertificateStanding
{
    /// <summary>Not listed on a CRL that is still fresh.</summary>
    Good,

    /// <summary>Listed with reason certificateHold: suspended, may come back.</summary>
    OnHold,

    /// <summary>Listed with any other reason: revoked for good.</summary>
    Revoked,

    /// <summary>No CRL is held, or the one held is past its nextUpdate: nothing can be said either way.</summary>
    Unknown,
}

/// <param name="Reason">For <see cref="CustomsCertificateStanding.Revoked"/> and <see cref="CustomsCertificateStanding.OnHold"/>.</param>
/// <param name="Detail">For <see cref="CustomsCertificateStanding.Unknown"/>: why, in words for the log or a verdict.</param>
public sealed record CustomsCertificateStatus(
    CustomsCertificateStanding Standing, RevocationReason? Reason = null, DateTimeOffset? RevokedAt = null, string? Detail = null)
{
    public static readonly CustomsCertificateStatus Good = new(CustomsCertificateStanding.Good);

    public static CustomsCertificateStatus Unknown(string detail) => new(CustomsCertificateStanding.Unknown, Detail: detail);
}
