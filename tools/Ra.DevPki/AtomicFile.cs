using System.Text;

namespace Ra.DevPki;

/// <summary>
/// Writes through a temporary file and a rename, so a crash never leaves a truncated key or certificate
/// that the completeness check would take for a good one.
/// </summary>
internal static class AtomicFile
{
    public static void Write(string path, byte[] content, bool secret = false)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
        {
            // Private keys readable by the owner only; set before any byte is written.
            if (secret && !OperatingSystem.IsWindows())
                File.SetUnixFileMode(stream.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    public static void Write(string path, string content, bool secret = false) =>
        Write(path, Encoding.UTF8.GetBytes(content), secret);
}
