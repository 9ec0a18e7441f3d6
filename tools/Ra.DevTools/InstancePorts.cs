using System.Text.Json;

namespace DevTools;

/// <summary>
/// The ports an instance used last time, kept in its folder (ports.json) so that a restart of the same instance
/// finds its cluster and its clients on the same addresses, while an instance in another folder picks its own.
/// </summary>
public sealed record InstancePorts(int? Postgres, int? Grpc, int? CaHttp)
{
    public const string FileName = "ports.json";

    public static InstancePorts Load(string folder)
    {
        var file = Path.Combine(folder, FileName);
        try
        {
            return File.Exists(file) ? JsonSerializer.Deserialize<InstancePorts>(File.ReadAllText(file)) ?? None : None;
        }
        catch (JsonException)
        {
            return None; // a hand-edited or truncated file only costs the remembered ports
        }
    }

    public void Save(string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this));
    }

    private static InstancePorts None => new(null, null, null);
}
