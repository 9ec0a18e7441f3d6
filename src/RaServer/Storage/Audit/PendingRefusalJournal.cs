using System.Text.Json;

namespace RaServer.Storage;

/// <summary>
/// The refusals whose audit row could not be written yet, one JSON file each in Audit:PendingFolder, so that a restart
/// of the process does not lose them. A file is written (to a temporary name, flushed, then renamed) before the
/// refusal joins the in-memory queue, and deleted only after its row is in the database; a crash in between replays
/// a refusal whose row may already exist, which its id makes harmless.
/// </summary>
public sealed class PendingRefusalJournal
{
    private const string Extension = ".refusal.json";
    private readonly string folder;

    public PendingRefusalJournal(string folder)
    {
        this.folder = Path.GetFullPath(folder);
        Directory.CreateDirectory(this.folder);
    }

    public string Folder => folder;

    public void Save(PendingRefusal pending)
    {
        var path = PathOf(pending.Id);
        var temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(file, pending);
            // On disk before the refusal is answered: the journal is what survives the process.
            file.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    public void Delete(Guid id) => File.Delete(PathOf(id));

    /// <summary>Every journaled refusal, oldest refusal first; a file that does not parse is set aside, not retried.</summary>
    public IReadOnlyList<PendingRefusal> ReadAll(Action<string, Exception> unreadable)
    {
        var found = new List<PendingRefusal>();
        foreach (var path in Directory.EnumerateFiles(folder, "*" + Extension))
        {
            try
            {
                var pending = JsonSerializer.Deserialize<PendingRefusal>(File.ReadAllBytes(path));
                if (pending is null || pending.Refusal is null)
                    throw new JsonException("empty journal entry");
                found.Add(pending);
            }
            catch (Exception e) when (e is JsonException or IOException)
            {
                // A torn file cannot come from Save (it renames whole files); keep it for the operator to look at.
                File.Move(path, path + ".unreadable", overwrite: true);
                unreadable(path, e);
            }
        }
        return found.OrderBy(p => p.RefusedAt).ToList();
    }

    private string PathOf(Guid id) => Path.Combine(folder, id.ToString("N") + Extension);
}
