using System.Text;
using MimeKit;

namespace RaServer.Storage;

/// <summary>A claimed mail_outbox row: what the sender needs to build the message and record the attempt.</summary>
internal sealed record OutboxMessage(long Id, string Kind, string Recipient, string Subject, string Body, string MessageId, DateTime CreatedAt, int Attempts)
{
    /// <summary>Name of the header that carries <see cref="Kind"/>, so mail filters and tests can tell notices apart.</summary>
    public const string KindHeader = "X-RA-Notice-Kind";

    /// <summary>
    /// The MIME message. Message-ID and Date come from the row, so every attempt produces the same message. The
    /// body is UTF-8 in base64: 7-bit clean for any relay, where 8-bit text could be mangled by one without 8BITMIME.
    /// Base64 hides the line breaks from the transport, so they are put in MIME's canonical CRLF form first.
    /// </summary>
    public MimeMessage ToMimeMessage(MailboxAddress from)
    {
        var text = new TextPart(MimeKit.Text.TextFormat.Plain) { ContentTransferEncoding = ContentEncoding.Base64 };
        text.SetText(Encoding.UTF8, Body.ReplaceLineEndings("\r\n"));
        var message = new MimeMessage
        {
            MessageId = MessageId,
            Date = new DateTimeOffset(DateTime.SpecifyKind(CreatedAt, DateTimeKind.Utc)),
            Subject = Subject,
            Body = text,
        };
        message.From.Add(from);
        message.To.Add(MailboxAddress.Parse(Recipient));
        message.Headers.Add(KindHeader, Kind);
        return message;
    }
}
