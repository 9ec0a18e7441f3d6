namespace Ra.Client.Files;

/// <summary>
/// Replaces a file through a temporary file in the same folder and a rename, so a reader (the ready-to-use system,
/// a second `ra`) sees the old content or the new, never a half-written file, and a failed write leaves the old one.
/// The rename stays within one file system because the temporary file sits next to the target.
/// </summary>
internal static class AtomicFile
{
    /// <summary>
    /// Writes <paramref name="content"/> to <paramref name="path"/>. A secret file is readable by its owner only,
    /// set before the first byte is written; otherwise the file takes the permissions of
    /// <paramref name="permissionsFrom"/> (default: itself) when that exists, so a rewrite never widens access.
    /// </summary>
    public static void Write(string path, ReadOnlySpan<byte> content, bool secret = false, string? permissionsFrom = null)
    {
        var full = Path.GetFullPath(path);
        var model = permissionsFrom ?? full;
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                if (!OperatingSystem.IsWindows())
                {
                    if (secret)
                        File.SetUnixFileMode(stream.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                    else if (File.Exists(model))
                        File.SetUnixFileMode(stream.SafeFileHandle, File.GetUnixFileMode(model));
                }
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
                File.Delete(temporary);
        }
    }
}
