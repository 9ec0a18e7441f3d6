using System.Text;

namespace Ra.Client.Files;

/// <summary>
/// Points the ready-to-use system's plug-in configuration file at a certificate folder, or clears it
/// (docs/PLUGIN-FILE.md). Each change keeps the previous file as FILE.bak and replaces FILE atomically (temporary
/// file in the same folder, then a rename), so the system never reads a half-written file and a failed write leaves
/// the old one. A change that changes nothing (a renewal into the same folder) writes nothing.
/// </summary>
public static class PluginConfigFile
{
    /// <summary>Where the previous content is kept.</summary>
    public static string BackupPathOf(string file) => Path.GetFullPath(file) + ".bak";

    /// <summary>
    /// Sets <paramref name="names"/>' certificate key to the folder's cert.pem and its key-store key to its
    /// keystore.p12. Returns whether the file changed. A missing file is an error unless
    /// <paramref name="createIfMissing"/>: the file is the system's, and a wrong path should be noticed.
    /// </summary>
    public static bool PointTo(string file, CertificateFolder folder, PluginKeyNames? names = null, bool createIfMissing = false, Encoding? valueEncoding = null)
    {
        names ??= PluginKeyNames.Default;
        return Update(file, [new(names.CertificatePath, folder.CertificatePemFile), new(names.KeyStorePath, folder.KeyStoreFile)],
            createIfMissing, valueEncoding);
    }

    /// <summary>
    /// Empties both keys' values (`ra uninstall`), keeping their lines where they are, so a later install puts the
    /// paths back in the same place. Returns whether the file changed; a missing file has nothing to clear.
    /// </summary>
    public static bool Clear(string file, PluginKeyNames? names = null, Encoding? valueEncoding = null)
    {
        names ??= PluginKeyNames.Default;
        if (!File.Exists(file))
            return false;
        var document = PluginConfigDocument.Parse(File.ReadAllBytes(file), valueEncoding);
        var present = new[] { names.CertificatePath, names.KeyStorePath }.Where(k => document.Get(k) is not null);
        return Update(file, present.Select(k => new KeyValuePair<string, string>(k, "")).ToList(), false, valueEncoding);
    }

    /// <summary>Sets each key to its value (see <see cref="PluginConfigDocument.Set"/>); returns whether the file changed.</summary>
    /// <exception cref="FileNotFoundException">the file is missing and <paramref name="createIfMissing"/> is false.</exception>
    public static bool Update(string file, IReadOnlyList<KeyValuePair<string, string>> values, bool createIfMissing = false, Encoding? valueEncoding = null)
    {
        var exists = File.Exists(file);
        if (!exists && !createIfMissing)
            throw new FileNotFoundException($"the plug-in configuration file {file} does not exist", file);
        var before = exists ? File.ReadAllBytes(file) : [];
        var document = PluginConfigDocument.Parse(before, valueEncoding);
        foreach (var (key, value) in values)
            document.Set(key, value);
        var after = document.ToBytes();
        if (exists && before.AsSpan().SequenceEqual(after))
            return false;
        if (exists)
            AtomicFile.Write(BackupPathOf(file), before, permissionsFrom: file);
        AtomicFile.Write(file, after);
        return true;
    }
}
