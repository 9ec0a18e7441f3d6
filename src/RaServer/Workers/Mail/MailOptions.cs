namespace RaServer.Workers;

/// <summary>Which <see cref="IMailTransport"/> the sender hands messages to.</summary>
public enum MailTransportKind
{
    /// <summary>.eml files in <see cref="MailOptions.PickupFolder"/>: needs nothing installed, so it is the default.</summary>
    Pickup,

    /// <summary>An SMTP relay through MailKit, configured under <see cref="MailOptions.Smtp"/>.</summary>
    Smtp,
}

/// <summary>How the SMTP connection is protected (MailKit's SecureSocketOptions, minus the guessing "Auto").</summary>
public enum SmtpSecurity
{
    /// <summary>Plain text. Only for a relay on the same host or a test server.</summary>
    None,

    /// <summary>Connect in plain text, then require STARTTLS before anything is sent (usually port 587).</summary>
    StartTls,

    /// <summary>TLS from the first byte (usually port 465).</summary>
    SslOnConnect,
}

/// <summary>Configuration section "Mail": where notices go and how the outbox sender paces itself.</summary>
public sealed class MailOptions
{
    public const string Section = "Mail";

    /// <summary>Pickup (default, .eml files) or Smtp.</summary>
    public MailTransportKind Transport { get; set; } = MailTransportKind.Pickup;

    /// <summary>
    /// Folder the pickup transport writes .eml files into; relative paths are taken from the working directory.
    /// Created when missing, so the default works on a fresh machine.
    /// </summary>
    public string PickupFolder { get; set; } = "mail-pickup";

    /// <summary>The SMTP relay, used when <see cref="Transport"/> is Smtp.</summary>
    public SmtpSettings Smtp { get; set; } = new();

    /// <summary>
    /// The From address of every notice. Its domain also names the Message-IDs the outbox generates, so it should
    /// be a domain the RA's operator controls.
    /// </summary>
    public string FromAddress { get; set; } = "ra-noreply@example.invalid";

    /// <summary>The From display name; Chinese is fine, it is MIME-encoded.</summary>
    public string FromDisplayName { get; set; } = "關港貿單一窗口通關專屬憑證註冊中心";

    /// <summary>
    /// Rows one sender claims and locks per transaction. Small, because a crash after sending but before commit
    /// re-sends the whole batch (with the same Message-IDs), and because the row locks are held while sending.
    /// </summary>
    public int BatchSize { get; set; } = 10;

    /// <summary>How often each replica looks for due notices; enqueued notices wait at most this long.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Wait after the first failed attempt; it doubles with each further failure up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest wait between attempts. Failed notices are retried at this pace for ever rather than dropped:
    /// a notice such as "your slip is void" must not silently vanish, and last_error tells the operator why.
    /// </summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>Settings of the SMTP relay (section "Mail:Smtp").</summary>
public sealed class SmtpSettings
{
    /// <summary>Host name or address of the relay.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>TCP port: 25 or 587 with StartTls, 465 with SslOnConnect.</summary>
    public int Port { get; set; } = 587;

    /// <summary>Transport security; defaults to requiring STARTTLS so credentials never cross the network in clear.</summary>
    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    /// <summary>User name for SMTP AUTH; leave empty for a relay that does not authenticate.</summary>
    public string Username { get; set; } = "";

    /// <summary>Password for SMTP AUTH; supply it from a secret store or environment variable, not appsettings.json.</summary>
    public string Password { get; set; } = "";

    /// <summary>How long one SMTP command may take before the attempt counts as failed.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
