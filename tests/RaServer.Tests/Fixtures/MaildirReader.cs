using MimeKit;

namespace RaServer.Tests.Fixtures;

/// <summary>Reads the messages of a maildir (its new/ and cur/ folders; tmp/ holds half-written ones).</summary>
public static class MaildirReader
{
    public static IReadOnlyList<MimeMessage> ReadAll(string maildir) =>
        new[] { "new", "cur" }
            .Select(sub => Path.Combine(maildir, sub))
            .Where(Directory.Exists)
            .SelectMany(Directory.EnumerateFiles)
            .Order(StringComparer.Ordinal)
            .Select(path => MimeMessage.Load(path))
            .ToList();
}
