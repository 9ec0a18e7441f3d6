using System.Collections.Concurrent;
using PdfSharp.Fonts;

namespace RaServer.Printing;

/// <summary>
/// The font the slips are printed in: one face of a font file, read once at start (so a font removed later cannot
/// fail a request) and made known to PDFsharp under a family name of its own.
/// </summary>
/// <remarks>
/// The default is AR PL UMing TW from Debian's fonts-arphic-uming: a TrueType-outline face with the Taiwan
/// (教育部) glyph forms. Noto Sans/Serif CJK (fonts-noto-cjk) has CFF outlines, which PDFsharp 6.2 cannot embed, and
/// comes only as collections, which it cannot read; WenQuanYi Micro Hei (fonts-wqy-microhei) works too, but draws
/// mainland forms. Every face is checked for a glyph for every fixed character of the slip before the server starts.
/// </remarks>
internal sealed class SlipFont
{
    private static readonly ConcurrentDictionary<(string Path, string Face, DateTime Written, long Length), SlipFont> Loaded = new();
    private static int families;

    private SlipFont(string familyName, byte[] faceFile)
    {
        FamilyName = familyName;
        FaceFile = faceFile;
    }

    /// <summary>The family name to give XFont; it names this face only, whatever else the process has loaded.</summary>
    public string FamilyName { get; }

    /// <summary>The face as a file of its own, what PDFsharp reads and subsets.</summary>
    internal byte[] FaceFile { get; }

    /// <summary>
    /// The face <paramref name="face"/> of the font file <paramref name="path"/>; <see cref="SlipFontException"/> says in
    /// plain words why it cannot print a slip. A file loaded before is not read again (test processes start many servers).
    /// </summary>
    public static SlipFont Load(string path, string face)
    {
        var file = new FileInfo(path);
        if (!file.Exists)
            throw new SlipFontException($"'{path}' does not exist (Debian: apt-get install fonts-arphic-uming).");
        return Loaded.GetOrAdd((file.FullName, face, file.LastWriteTimeUtc, file.Length), key => Read(key.Path, key.Face));
    }

    private static SlipFont Read(string path, string face)
    {
        byte[] faceFile;
        try
        {
            var file = OpenTypeFile.Parse(File.ReadAllBytes(path));
            var found = file.Face(face) ?? throw new SlipFontException(
                $"'{path}' has no face '{face}'; it has {string.Join(", ", file.FamilyNames().Select(names => $"'{names.Order(StringComparer.Ordinal).FirstOrDefault()}'"))}.");
            if (!found.HasTrueTypeOutlines)
                throw new SlipFontException($"the face '{face}' of '{path}' has CFF outlines, which PDFsharp cannot embed; use a TrueType-outline font such as AR PL UMing TW.");
            var missing = found.MissingGlyphs(SlipSheet.FixedText);
            if (missing.Count > 0)
                throw new SlipFontException($"the face '{face}' of '{path}' has no glyph for {string.Join("", missing.Take(20))}, which every slip prints.");
            faceFile = found.ToStandaloneFont();
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new SlipFontException($"'{path}' cannot be read as an OpenType font: {e.Message}.");
        }
        var loaded = new SlipFont($"RaSlip{Interlocked.Increment(ref families)}", faceFile);
        SlipFontResolver.Register(loaded);
        return loaded;
    }
}

/// <summary>Why a font cannot print slips, in words for the operator's configuration error.</summary>
internal sealed class SlipFontException(string message) : Exception(message);

/// <summary>
/// PDFsharp asks one process-wide resolver for every font. The RA's faces are the only fonts it draws with, so the
/// resolver knows those and nothing else (no system fonts: a slip never depends on what the host happens to have).
/// </summary>
internal sealed class SlipFontResolver : IFontResolver
{
    private static readonly ConcurrentDictionary<string, byte[]> Faces = new(StringComparer.Ordinal);
    private static readonly Lock Installing = new();
    private static bool installed;

    public static void Register(SlipFont font)
    {
        Faces[font.FamilyName] = font.FaceFile;
        lock (Installing)
        {
            if (installed)
                return;
            GlobalFontSettings.FontResolver = new SlipFontResolver();
            installed = true;
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        Faces.ContainsKey(familyName) ? new FontResolverInfo(familyName) : null;

    public byte[]? GetFont(string faceName) => Faces.GetValueOrDefault(faceName);
}
