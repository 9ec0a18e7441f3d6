using DevTools;
using RaServer.Storage;

namespace RaServer.Tests.Storage;

public sealed class MigrationFileTests
{
    private static MigrationFile File(int version, string name, string sql = "SELECT 1") =>
        new(version, name, MigrationFile.ChecksumOf(sql), sql);

    [Fact]
    public void Pending_migrations_are_the_files_not_yet_in_the_journal_in_order()
    {
        var files = new[] { File(1, "a"), File(2, "b"), File(3, "c") };
        var journal = new[] { new Migrator.JournalRow(1, "a", files[0].Checksum) };

        Assert.Equal([2, 3], Migrator.PendingMigrations(files, journal).Select(f => f.Version));
    }

    [Fact]
    public void A_new_file_numbered_below_an_applied_one_is_refused()
    {
        var files = new[] { File(1, "a"), File(2, "late"), File(3, "c") };
        var journal = new[] { new Migrator.JournalRow(1, "a", files[0].Checksum), new Migrator.JournalRow(3, "c", files[2].Checksum) };

        var refusal = Assert.Throws<MigrationRefusedException>(() => Migrator.PendingMigrations(files, journal));
        Assert.Contains("0002_late", refusal.Message);
    }

    [Fact]
    public void A_renamed_applied_file_is_refused_like_an_edited_one()
    {
        var files = new[] { File(1, "renamed") };
        var journal = new[] { new Migrator.JournalRow(1, "original", files[0].Checksum) };

        Assert.Throws<MigrationRefusedException>(() => Migrator.PendingMigrations(files, journal));
    }

    [Fact]
    public void Line_endings_do_not_change_the_checksum() =>
        Assert.Equal(MigrationFile.ChecksumOf("SELECT 1;\nSELECT 2;\n"), MigrationFile.ChecksumOf("SELECT 1;\r\nSELECT 2;\r\n"));

    [Fact]
    public void A_badly_named_sql_file_is_refused()
    {
        var folder = Directory.CreateTempSubdirectory("ra-migrations-").FullName;
        try
        {
            System.IO.File.WriteAllText(Path.Combine(folder, "1_first.sql"), "SELECT 1");
            Assert.Throws<MigrationRefusedException>(() => MigrationFile.ReadFolder(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
