using MimeKit;

namespace RaServer.Policy;

/// <summary>One e-mail notice as the outbox stores it: rendered once at enqueue, so a later template change never
/// alters what a queued notice says.</summary>
public sealed record MailNotice(NoticeKind Kind, string Recipient, string Subject, string Body, string DedupKey)
{
    /// <summary>Renders <paramref name="data"/> for <paramref name="recipient"/> with its own dedup key.</summary>
    public static MailNotice Create(string recipient, NoticeData data)
    {
        // An address MimeKit cannot parse would fail at every send attempt for ever; refuse it while the caller
        // can still do something about it.
        if (!MailboxAddress.TryParse(recipient, out var address) || !address.Address.Contains('@'))
            throw new ArgumentException($"'{recipient}' is not an e-mail address.", nameof(recipient));
        var rendered = NoticeTemplates.Render(data);
        return new MailNotice(data.Kind, address.Address, rendered.Subject, rendered.Body, data.DedupKey);
    }
}
