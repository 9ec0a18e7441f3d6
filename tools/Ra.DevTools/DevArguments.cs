using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace DevTools;

/// <summary>
/// The `ra-dev dev` command line: its own options (--dir, --port, --pg-port; the last one given wins, as in most
/// CLIs) and any number of `--Section:Key=value` or `--Section:Key value` settings, which override the dev defaults.
/// Anything else is refused, so a mistyped option is not silently ignored.
/// </summary>
public sealed record DevArguments(string Dir, int? Port, int? PgPort, IReadOnlyDictionary<string, string?> Configuration)
{
    public const string Usage = "usage: ra-dev dev [--dir DIR] [--port PORT] [--pg-port PORT] [--Section:Key=value ...] | ra-dev devpki [--dir DIR]";

    private static readonly string[] Known = ["--dir", "--port", "--pg-port"];

    /// <summary>The parsed arguments, or null and a one-line reason.</summary>
    public static DevArguments? Parse(IReadOnlyList<string> args, out string? error)
    {
        var own = new Dictionary<string, string>();
        var settings = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var (name, inlineValue) = Split(args[i]);
            var isSetting = name.StartsWith("--", StringComparison.Ordinal) && name.Contains(':');
            if (!isSetting && !Known.Contains(name))
            {
                error = $"unknown option '{args[i]}'; {Usage}";
                return null;
            }
            var value = inlineValue ?? (i + 1 < args.Count ? args[++i] : null);
            if (value is null)
            {
                error = $"option '{name}' needs a value; {Usage}";
                return null;
            }
            if (isSetting)
                settings.AddRange([name, value]);
            else
                own[name] = value; // a later occurrence replaces an earlier one
        }

        error = null;
        int? port = null, pgPort = null;
        if (own.TryGetValue("--port", out var p) && !TryPort(p, out port, ref error)
            || own.TryGetValue("--pg-port", out var pg) && !TryPort(pg, out pgPort, ref error))
            return null;
        // .NET's own command-line provider reads the settings, so keys and values mean what they mean to RaServer.
        var configuration = new ConfigurationBuilder().AddCommandLine(settings.ToArray()).Build()
            .AsEnumerable().Where(kv => kv.Value is not null)
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.OrdinalIgnoreCase);
        return new DevArguments(own.GetValueOrDefault("--dir", ".ra-dev"), port, pgPort, configuration);
    }

    private static (string Name, string? Value) Split(string argument)
    {
        var equals = argument.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? (argument, null) : (argument[..equals], argument[(equals + 1)..]);
    }

    private static bool TryPort(string text, out int? port, ref string? error)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is > 0 and <= 65535)
        {
            port = value;
            return true;
        }
        port = null;
        error = $"'{text}' is not a TCP port (1-65535); {Usage}";
        return false;
    }
}
