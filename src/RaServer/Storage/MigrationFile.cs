using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace RaServer.Storage;

/// <summary>One numbered, forward-only SQL file such as <c>0001_registry.sql</c>.</summary>
public sealed partial record MigrationFile(int Version, string Name, string Checksum, string Sql)
{
    [GeneratedRegex(@"^(?<version>\d{4})_(?<name>[a-z0-9_]+)\.sql$")]
    private static partial Regex FileNamePattern();

    /// <summary>Reads every <c>*.sql</c> file of the folder, ordered by version; refuses badly named or duplicate versions.</summary>
    public static IReadOnlyList<MigrationFile> ReadFolder(string folder)
    {
        if (!Directory.Exists(folder))
            throw new MigrationRefusedException($"Migration folder {folder} does not exist.");
        var files = new List<MigrationFile>();
        foreach (var path in Directory.EnumerateFiles(folder, "*.sql"))
        {
            var fileName = Path.GetFileName(path);
            var match = FileNamePattern().Match(fileName);
            if (!match.Success)
                throw new MigrationRefusedException($"Migration file {fileName} is not named NNNN_lower_snake_name.sql.");
            var sql = File.ReadAllText(path);
            files.Add(new MigrationFile(int.Parse(match.Groups["version"].Value), match.Groups["name"].Value, ChecksumOf(sql), sql));
        }
        var duplicate = files.GroupBy(f => f.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new MigrationRefusedException($"Two migration files share version {duplicate.Key}: {string.Join(", ", duplicate.Select(f => f.Name))}.");
        return files.OrderBy(f => f.Version).ToList();
    }

    /// <summary>SHA-256 hex of the text with line endings normalised, so a Windows checkout does not look like an edit.</summary>
    public static string ChecksumOf(string sql) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql.ReplaceLineEndings("\n"))));
}
