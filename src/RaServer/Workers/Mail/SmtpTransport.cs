using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace RaServer.Workers;

/// <summary>Sends through an SMTP relay with MailKit, one connection per batch.</summary>
public sealed class SmtpTransport(IOptions<MailOptions> options) : IMailTransport
{
    private readonly SmtpSettings _settings = options.Value.Smtp;

    public async Task<IMailSession> OpenSessionAsync(CancellationToken ct)
    {
        var session = new Session(_settings);
        try
        {
            await session.ConnectAsync(ct);
            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    private sealed class Session(SmtpSettings settings) : IMailSession
    {
        private readonly SmtpClient _client = new() { Timeout = (int)settings.Timeout.TotalMilliseconds };

        public async Task ConnectAsync(CancellationToken ct)
        {
            await _client.ConnectAsync(settings.Host, settings.Port, SocketOptions(settings.Security), ct);
            if (settings.Username.Length > 0)
                await _client.AuthenticateAsync(settings.Username, settings.Password, ct);
        }

        public async Task SendAsync(MimeMessage message, CancellationToken ct)
        {
            // A failed send may have dropped the connection; the rest of the batch deserves a fresh one.
            if (!_client.IsConnected)
                await ConnectAsync(ct);
            await _client.SendAsync(message, ct);
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (_client.IsConnected)
                    await _client.DisconnectAsync(quit: true);
            }
            catch (Exception e) when (e is IOException or SmtpProtocolException or OperationCanceledException)
            {
                // The batch's outcome is already recorded; a failed QUIT changes nothing.
            }
            _client.Dispose();
        }
    }

    private static SecureSocketOptions SocketOptions(SmtpSecurity security) => security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => throw new ArgumentOutOfRangeException(nameof(security), security, null),
    };
}
