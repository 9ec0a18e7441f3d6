using MimeKit;

namespace RaServer.Workers;

/// <summary>
/// Where sent mail goes. The sender opens one session per batch (for SMTP: one connection) and sends the batch's
/// messages through it; a send that throws counts as a failed attempt for that message only.
/// </summary>
public interface IMailTransport
{
    Task<IMailSession> OpenSessionAsync(CancellationToken ct);
}

/// <summary>One batch's use of a transport.</summary>
public interface IMailSession : IAsyncDisposable
{
    /// <summary>Returns once the transport accepted the message; throws when it did not.</summary>
    Task SendAsync(MimeMessage message, CancellationToken ct);
}
