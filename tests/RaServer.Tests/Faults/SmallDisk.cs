using System.Diagnostics;

namespace RaServer.Tests.Faults;

/// <summary>
/// A real small file system that can be filled: a tmpfs of a few MiB mounted by a helper process in a mount namespace
/// of its own (<c>unshare -m</c>, which the tests' root user may do), reached from the test through
/// <c>/proc/&lt;pid&gt;/root</c>. Nothing is mounted where the machine sees it, and the mount goes when the process
/// does, even if the test host dies. <see cref="FillAsync"/> writes a filler file until the kernel answers ENOSPC, so
/// every later write fails as it does on a full disk; <see cref="Free"/> deletes it.
/// </summary>
public sealed class SmallDisk : IDisposable
{
    private readonly Process holder;
    private readonly string mountPoint;

    private SmallDisk(Process holder, string mountPoint)
    {
        this.holder = holder;
        this.mountPoint = mountPoint;
        Folder = $"/proc/{holder.Id}/root{mountPoint}";
    }

    /// <summary>The mounted file system's root, as this process reaches it.</summary>
    public string Folder { get; }

    private string Filler => Path.Combine(Folder, "filler");

    /// <summary>Mounts a tmpfs of <paramref name="mebibytes"/> MiB; fails with the reason when the machine does not let it.</summary>
    public static async Task<SmallDisk> MountAsync(int mebibytes = 8)
    {
        var mountPoint = Directory.CreateTempSubdirectory("ra-small-disk-").FullName;
        var start = new ProcessStartInfo("unshare")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // unshare runs sh in its own process (no --fork), and sh execs sleep: the pid stays the namespace's holder.
        foreach (var argument in new[]
        {
            "--mount", "--propagation", "private", "sh", "-c",
            $"mount -t tmpfs -o size={mebibytes}m ra-small-disk '{mountPoint}' && echo mounted && exec sleep infinity",
        })
            start.ArgumentList.Add(argument);
        var holder = Process.Start(start) ?? throw new InvalidOperationException("could not start unshare");
        var ready = await holder.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
        if (ready != "mounted")
        {
            var error = await holder.StandardError.ReadToEndAsync();
            holder.Kill();
            Directory.Delete(mountPoint);
            throw new InvalidOperationException(
                $"could not mount a small tmpfs in a private mount namespace (the full-disk test needs root or CAP_SYS_ADMIN): {error}");
        }
        return new SmallDisk(holder, mountPoint);
    }

    /// <summary>Fills the file system; returns how many bytes the filler took before the kernel said ENOSPC.</summary>
    public async Task<long> FillAsync()
    {
        var chunk = new byte[64 * 1024];
        long written = 0;
        try
        {
            await using var filler = new FileStream(Filler, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1);
            while (true)
            {
                await filler.WriteAsync(chunk);
                written += chunk.Length;
            }
        }
        catch (IOException e) when (e.HResult == 28 || e.Message.Contains("No space left", StringComparison.Ordinal))
        {
            // ENOSPC (28): full. Whatever the last write took is a few KiB more than counted.
        }
        return written;
    }

    public void Free() => File.Delete(Filler);

    public void Dispose()
    {
        if (!holder.HasExited)
        {
            holder.Kill();
            holder.WaitForExit();
        }
        holder.Dispose();
        Directory.Delete(mountPoint);
    }
}
