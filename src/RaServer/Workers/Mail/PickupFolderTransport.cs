using Microsoft.Extensions.Options;
using MimeKit;

namespace RaServer.Workers;

/// <summary>
/// Writes each message as an .eml file into a folder, the default so that a fresh machine needs no mail server;
/// an operator, a relay that watches the folder, or a test reads them from there.
/// </summary>
public sealed class PickupFolderTransport(IOptions<MailOptions> options) : IMailTransport
{
    /// <summary>The absolute folder the files go to.</summary>
    public string Folder { get; } = Path.GetFullPath(options.Value.PickupFolder);

    public Task<IMailSession> OpenSessionAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(Folder);
        return Task.FromResult<IMailSession>(new Session(Folder));
    }

    private sealed class Session(string folder) : IMailSession
    {
        public async Task SendAsync(MimeMessage message, CancellationToken ct)
        {
            // Named after the Message-ID: a re-send after a crash replaces the file instead of adding a second one.
            var messageId = message.MessageId ?? throw new ArgumentException("The outbox gives every message a Message-ID.", nameof(message));
            var path = Path.Combine(folder, FileNameFor(messageId));
            // Written aside and renamed, so whoever watches the folder never picks up half a message.
            var partial = path + ".partial";
            await using (var stream = File.Create(partial))
                await message.WriteToAsync(stream, ct);
            File.Move(partial, path, overwrite: true);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private static string FileNameFor(string messageId)
    {
        var invalid = Path.GetInvalidFileNameChars();
        var safe = new string(messageId.Select(c => invalid.Contains(c) || c is '<' or '>' ? '_' : c).ToArray());
        return safe + ".eml";
    }
}
