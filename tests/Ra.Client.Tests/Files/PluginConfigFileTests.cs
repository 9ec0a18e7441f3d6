using System.Text;
using Ra.Client.Files;

namespace Ra.Client.Tests.Files;

public sealed class PluginConfigFileTests : IDisposable
{
    // CRLF, a comment holding '=', a ';' comment, blank lines, spacing around '=', a duplicated key, a line without
    // '=', a tab-indented entry and no final newline.
    private const string Odd =
        "# ready-to-use system plug-in\r\n" +
        "# cert.path=C:\\old\\cert.pem (example)\r\n" +
        "\r\n" +
        "server.url = https://example.test/?a=b\r\n" +
        "cert.path = /old/cert.pem\r\n" +
        "; keystore.path=/commented\r\n" +
        "just a line\r\n" +
        "\tkeystore.path\t=\t/old/keystore.p12   \r\n" +
        "cert.path=/old/dup.pem\r\n" +
        "\r\n" +
        "timeout=30";

    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    private CertificateFolder Folder(string name) => new(temp.At(name));

    [Fact]
    public void Pointing_at_a_folder_changes_only_the_values_and_keeps_every_other_byte()
    {
        var file = temp.Write("plugin.properties", Odd);
        var folder = Folder("certs");

        Assert.True(PluginConfigFile.PointTo(file, folder));

        var expected = Odd
            .Replace("cert.path = /old/cert.pem", $"cert.path = {folder.CertificatePemFile}")
            .Replace("cert.path=/old/dup.pem", $"cert.path={folder.CertificatePemFile}")
            .Replace("\tkeystore.path\t=\t/old/keystore.p12   ", $"\tkeystore.path\t=\t{folder.KeyStoreFile}");
        Assert.Equal(expected, File.ReadAllText(file));
        var document = PluginConfigDocument.Parse(File.ReadAllBytes(file));
        Assert.Equal(folder.CertificatePemFile, document.Get("cert.path"));
        Assert.Equal("https://example.test/?a=b", document.Get("server.url"));
        Assert.Equal(["server.url", "cert.path", "keystore.path", "timeout"], document.Keys);
    }

    [Fact]
    public void A_file_parsed_and_written_without_changes_is_the_same_bytes()
    {
        // A UTF-8 BOM and a Big5 comment (never decoded, so never damaged) besides the odd lines.
        byte[] big5Comment = [(byte)'#', 0xB3, 0x71, 0xC3, 0xF6, 0xB1, 0x4D, 0xC4, 0xDD, (byte)'\r', (byte)'\n'];
        byte[] content = [0xEF, 0xBB, 0xBF, .. big5Comment, .. Encoding.ASCII.GetBytes(Odd)];
        Assert.Equal(content, PluginConfigDocument.Parse(content).ToBytes());
    }

    [Fact]
    public void The_previous_file_is_kept_as_bak_and_a_second_identical_change_writes_nothing()
    {
        var file = temp.Write("plugin.properties", Odd);
        var folder = Folder("certs");
        PluginConfigFile.PointTo(file, folder);
        var backup = PluginConfigFile.BackupPathOf(file);
        Assert.Equal(Odd, File.ReadAllText(backup));

        var written = File.ReadAllBytes(file);
        Assert.False(PluginConfigFile.PointTo(file, folder));
        Assert.Equal(Odd, File.ReadAllText(backup));
        Assert.Equal(written, File.ReadAllBytes(file));
    }

    [Fact]
    public void A_certificate_moved_to_another_folder_updates_the_setting()
    {
        var file = temp.Write("plugin.properties", "cert.path=x\nkeystore.path=y\n");
        PluginConfigFile.PointTo(file, Folder("2025"));
        Assert.True(PluginConfigFile.PointTo(file, Folder("2026")));
        Assert.Equal($"cert.path={Folder("2026").CertificatePemFile}\nkeystore.path={Folder("2026").KeyStoreFile}\n", File.ReadAllText(file));
        Assert.Contains("2025", File.ReadAllText(PluginConfigFile.BackupPathOf(file)));
    }

    [Theory]
    [InlineData("a=1\r\nb=2\r\n", "\r\n", true)]
    [InlineData("a=1\nb=2", "\n", false)]
    public void Missing_keys_are_added_at_the_end_with_the_file_line_ending(string content, string ending, bool finalNewline)
    {
        var file = temp.Write("plugin.properties", content);
        var folder = Folder("certs");
        PluginConfigFile.PointTo(file, folder);
        var added = $"cert.path={folder.CertificatePemFile}{ending}keystore.path={folder.KeyStoreFile}";
        var expected = finalNewline ? content + added + ending : content + ending + added;
        Assert.Equal(expected, File.ReadAllText(file));
    }

    [Fact]
    public void Key_names_are_configurable()
    {
        var file = temp.Write("plugin.ini", "CertFile=\n");
        var names = new PluginKeyNames("CertFile", "KeyStoreFile");
        PluginConfigFile.PointTo(file, Folder("certs"), names);
        var document = PluginConfigDocument.Parse(File.ReadAllBytes(file));
        Assert.Equal(Folder("certs").CertificatePemFile, document.Get("CertFile"));
        Assert.Equal(Folder("certs").KeyStoreFile, document.Get("KeyStoreFile"));
        Assert.Null(document.Get("cert.path"));
    }

    [Fact]
    public void Clearing_empties_the_values_and_keeps_their_lines()
    {
        var file = temp.Write("plugin.properties", Odd);
        Assert.True(PluginConfigFile.Clear(file));
        var expected = Odd
            .Replace("cert.path = /old/cert.pem", "cert.path = ")
            .Replace("cert.path=/old/dup.pem", "cert.path=")
            .Replace("\tkeystore.path\t=\t/old/keystore.p12   ", "\tkeystore.path\t=\t");
        Assert.Equal(expected, File.ReadAllText(file));
        Assert.Equal("", PluginConfigDocument.Parse(File.ReadAllBytes(file)).Get("cert.path"));
        Assert.False(PluginConfigFile.Clear(file));
        Assert.False(PluginConfigFile.Clear(temp.At("absent.properties")));
    }

    [Fact]
    public void A_missing_file_is_an_error_unless_it_may_be_created()
    {
        var file = temp.At("new.properties");
        Assert.Throws<FileNotFoundException>(() => PluginConfigFile.PointTo(file, Folder("certs")));
        Assert.True(PluginConfigFile.PointTo(file, Folder("certs"), createIfMissing: true));
        Assert.Equal(Folder("certs").CertificatePemFile, PluginConfigDocument.Parse(File.ReadAllBytes(file)).Get("cert.path"));
        Assert.False(File.Exists(PluginConfigFile.BackupPathOf(file)));
    }

    [Fact]
    public void Values_are_written_in_the_value_encoding_utf8_by_default()
    {
        var file = temp.Write("plugin.properties", "cert.path=\n");
        var folder = Folder("憑證");
        PluginConfigFile.PointTo(file, folder);
        Assert.True(File.ReadAllBytes(file).AsSpan().IndexOf(Encoding.UTF8.GetBytes("憑證")) >= 0, "the folder name is in UTF-8");
        Assert.Equal(folder.CertificatePemFile, PluginConfigDocument.Parse(File.ReadAllBytes(file)).Get("cert.path"));
    }

    [Theory]
    [InlineData("a\nb")]
    [InlineData("a\rb")]
    [InlineData(" leading")]
    [InlineData("trailing\t")]
    public void A_value_that_would_not_read_back_is_refused(string value)
    {
        var document = PluginConfigDocument.Parse("x=1\n"u8);
        Assert.Throws<ArgumentException>(() => document.Set("cert.path", value));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a=b")]
    [InlineData("#cert")]
    [InlineData("cert path")]
    public void A_key_that_would_not_read_back_is_refused(string key)
    {
        var document = PluginConfigDocument.Parse("x=1\n"u8);
        Assert.Throws<ArgumentException>(() => document.Set(key, "v"));
    }

    [Fact]
    public void The_file_is_replaced_by_a_rename_so_a_reader_holding_it_sees_the_whole_old_content()
    {
        var file = temp.Write("plugin.properties", Odd);
        using var reader = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        PluginConfigFile.PointTo(file, Folder("certs"));
        // Written in place, the open handle would now read the new bytes (or a truncated file).
        Assert.Equal(Odd, new StreamReader(reader).ReadToEnd());
        Assert.Contains(Folder("certs").CertificatePemFile, File.ReadAllText(file));
    }

    [Fact]
    public void A_write_that_fails_leaves_the_old_file_and_no_temporary_file()
    {
        var file = temp.Write("plugin.properties", Odd);
        // The backup cannot be written where a folder stands: the change must fail as a whole.
        Directory.CreateDirectory(PluginConfigFile.BackupPathOf(file));
        Assert.ThrowsAny<IOException>(() => PluginConfigFile.PointTo(file, Folder("certs")));
        Assert.Equal(Odd, File.ReadAllText(file));
        Assert.Equal([file], Directory.GetFiles(temp.Path));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_rewritten_file_keeps_its_permissions()
    {
        var file = temp.Write("plugin.properties", Odd);
        var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
        File.SetUnixFileMode(file, mode);
        PluginConfigFile.PointTo(file, Folder("certs"));
        Assert.Equal(mode, File.GetUnixFileMode(file));
        Assert.Equal(mode, File.GetUnixFileMode(PluginConfigFile.BackupPathOf(file)));
    }
}
