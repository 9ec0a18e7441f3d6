using System.Buffers.Binary;
using System.Text;

namespace RaServer.Printing;

/// <summary>
/// Just enough of the OpenType file format (a single font, or a TrueType collection of several) to pick one face by
/// its family name, hand PDFsharp that face as a file of its own, and ask whether it has TrueType outlines and a
/// glyph for a character. PDFsharp 6.2 reads neither collections (it fails on the "ttcf" header) nor CFF outlines,
/// which is why the face is cut out here and checked before the server starts.
/// </summary>
internal sealed class OpenTypeFile
{
    private readonly byte[] data;
    private readonly int[] faceOffsets;

    private OpenTypeFile(byte[] data, int[] faceOffsets)
    {
        this.data = data;
        this.faceOffsets = faceOffsets;
    }

    /// <summary>Reads the header of a .ttf/.otf (one face) or .ttc (several faces).</summary>
    public static OpenTypeFile Parse(byte[] data)
    {
        if (data.Length < 12)
            throw new InvalidDataException("it is too short to be an OpenType font");
        if (Tag(data, 0) != "ttcf")
            return new OpenTypeFile(data, [0]);
        var count = U32(data, 8);
        if (count is 0 or > 1024 || 12 + 4L * count > data.Length)
            throw new InvalidDataException("its collection header is damaged");
        return new OpenTypeFile(data, Enumerable.Range(0, (int)count).Select(i => (int)U32(data, 12 + 4 * i)).ToArray());
    }

    /// <summary>Every face's family names (name id 1, Windows platform), in file order.</summary>
    public IReadOnlyList<IReadOnlySet<string>> FamilyNames() =>
        faceOffsets.Select(offset => FamilyNamesOf(TablesOf(offset))).ToList();

    /// <summary>The face whose family names include <paramref name="family"/>, or null.</summary>
    public OpenTypeFace? Face(string family)
    {
        foreach (var offset in faceOffsets)
        {
            var tables = TablesOf(offset);
            if (FamilyNamesOf(tables).Contains(family))
                return new OpenTypeFace(data, offset, tables);
        }
        return null;
    }

    private Dictionary<string, (int Offset, int Length)> TablesOf(int faceOffset)
    {
        if (faceOffset < 0 || faceOffset + 12L > data.Length)
            throw new InvalidDataException("a face's offset lies outside the file");
        var count = U16(data, faceOffset + 4);
        if (faceOffset + 12L + 16L * count > data.Length)
            throw new InvalidDataException("a face's table directory is damaged");
        var tables = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var record = faceOffset + 12 + 16 * i;
            var (offset, length) = (U32(data, record + 8), U32(data, record + 12));
            if (offset + (long)length > data.Length)
                throw new InvalidDataException($"its table '{Tag(data, record)}' lies outside the file");
            tables[Tag(data, record)] = ((int)offset, (int)length);
        }
        return tables;
    }

    private HashSet<string> FamilyNamesOf(Dictionary<string, (int Offset, int Length)> tables)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (!tables.TryGetValue("name", out var name) || name.Length < 6)
            return names;
        var count = U16(data, name.Offset + 2);
        var strings = name.Offset + U16(data, name.Offset + 4);
        for (var i = 0; i < count && name.Offset + 6 + 12 * (i + 1) <= name.Offset + name.Length; i++)
        {
            var record = name.Offset + 6 + 12 * i;
            var (platform, nameId, length, offset) = (U16(data, record), U16(data, record + 6), U16(data, record + 8), U16(data, record + 10));
            // Windows names are UTF-16BE and every font meant for Windows has them; Mac Roman ones add nothing here.
            if (platform == 3 && nameId == 1 && strings + offset + length <= data.Length)
                names.Add(Encoding.BigEndianUnicode.GetString(data, strings + offset, length));
        }
        return names;
    }

    internal static string Tag(byte[] data, int offset) => Encoding.ASCII.GetString(data, offset, 4);

    internal static ushort U16(byte[] data, int offset) =>
        offset >= 0 && offset + 2 <= data.Length ? BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(offset)) : throw Damaged();

    internal static uint U32(byte[] data, int offset) =>
        offset >= 0 && offset + 4 <= data.Length ? BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(offset)) : throw Damaged();

    private static InvalidDataException Damaged() => new("a table points outside the file");
}

/// <summary>One face of an <see cref="OpenTypeFile"/>.</summary>
internal sealed class OpenTypeFace(byte[] data, int faceOffset, IReadOnlyDictionary<string, (int Offset, int Length)> tables)
{
    /// <summary>TrueType outlines ("glyf"), the only kind PDFsharp can embed and subset; CFF ("CFF ") it cannot.</summary>
    public bool HasTrueTypeOutlines => tables.ContainsKey("glyf") && tables.ContainsKey("loca");

    /// <summary>
    /// The face as a font file of its own: its table directory with the tables copied after it. In a collection the
    /// faces share tables, so the copy is as large as one face with all its glyphs; PDFsharp embeds only the subset
    /// of glyphs a page uses.
    /// </summary>
    public byte[] ToStandaloneFont()
    {
        var ordered = tables.OrderBy(t => t.Key, StringComparer.Ordinal).ToList();
        var headerLength = 12 + 16 * ordered.Count;
        using var file = new MemoryStream();
        file.Write(data, faceOffset, 4); // sfnt version
        Span<byte> header = stackalloc byte[8];
        var count = (ushort)ordered.Count;
        var entrySelector = (ushort)Math.Floor(Math.Log2(count));
        var searchRange = (ushort)(16 * (1 << entrySelector));
        BinaryPrimitives.WriteUInt16BigEndian(header, count);
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], searchRange);
        BinaryPrimitives.WriteUInt16BigEndian(header[4..], entrySelector);
        BinaryPrimitives.WriteUInt16BigEndian(header[6..], (ushort)(count * 16 - searchRange));
        file.Write(header);
        var offset = headerLength;
        var record = new byte[16];
        foreach (var (tag, table) in ordered)
        {
            Encoding.ASCII.GetBytes(tag, record);
            BinaryPrimitives.WriteUInt32BigEndian(record.AsSpan(4), Checksum(table.Offset, table.Length));
            BinaryPrimitives.WriteUInt32BigEndian(record.AsSpan(8), (uint)offset);
            BinaryPrimitives.WriteUInt32BigEndian(record.AsSpan(12), (uint)table.Length);
            file.Write(record);
            offset += Padded(table.Length);
        }
        foreach (var (_, table) in ordered)
        {
            file.Write(data, table.Offset, table.Length);
            file.Write(new byte[Padded(table.Length) - table.Length]);
        }
        return file.ToArray();
    }

    /// <summary>The characters of <paramref name="text"/> the face has no glyph for (Unicode cmap, format 4 or 12).</summary>
    public IReadOnlyList<string> MissingGlyphs(string text)
    {
        var lookup = CharacterMap();
        var missing = new List<string>();
        for (var i = 0; i < text.Length; i += char.IsSurrogatePair(text, i) ? 2 : 1)
        {
            var codePoint = char.ConvertToUtf32(text, i);
            if (!lookup(codePoint))
                missing.Add(char.ConvertFromUtf32(codePoint));
        }
        return missing.Distinct(StringComparer.Ordinal).ToList();
    }

    private Func<int, bool> CharacterMap()
    {
        if (!tables.TryGetValue("cmap", out var cmap))
            throw new InvalidDataException("it has no character map");
        var count = OpenTypeFile.U16(data, cmap.Offset + 2);
        int? format4 = null, format12 = null;
        for (var i = 0; i < count; i++)
        {
            var record = cmap.Offset + 4 + 8 * i;
            var (platform, encoding) = (OpenTypeFile.U16(data, record), OpenTypeFile.U16(data, record + 2));
            var subtable = cmap.Offset + (int)OpenTypeFile.U32(data, record + 4);
            var format = OpenTypeFile.U16(data, subtable);
            var unicode = platform == 0 || (platform == 3 && encoding is 1 or 10);
            if (unicode && format == 12)
                format12 ??= subtable;
            else if (unicode && format == 4)
                format4 ??= subtable;
        }
        if (format12 is { } full)
            return codePoint => Format12Has(full, codePoint);
        if (format4 is { } basic)
            return codePoint => codePoint <= 0xFFFF && Format4Has(basic, codePoint);
        throw new InvalidDataException("it has no Unicode character map");
    }

    private bool Format12Has(int subtable, int codePoint)
    {
        var groups = OpenTypeFile.U32(data, subtable + 12);
        for (var i = 0; i < groups; i++)
        {
            var group = subtable + 16 + 12 * i;
            if (codePoint >= OpenTypeFile.U32(data, group) && codePoint <= OpenTypeFile.U32(data, group + 4))
                return OpenTypeFile.U32(data, group + 8) + (codePoint - OpenTypeFile.U32(data, group)) != 0;
        }
        return false;
    }

    private bool Format4Has(int subtable, int codePoint)
    {
        var segments = OpenTypeFile.U16(data, subtable + 6) / 2;
        var ends = subtable + 14;
        var starts = ends + 2 * segments + 2;
        var deltas = starts + 2 * segments;
        var rangeOffsets = deltas + 2 * segments;
        for (var i = 0; i < segments; i++)
        {
            if (codePoint > OpenTypeFile.U16(data, ends + 2 * i))
                continue;
            var start = OpenTypeFile.U16(data, starts + 2 * i);
            if (codePoint < start)
                return false;
            var delta = OpenTypeFile.U16(data, deltas + 2 * i);
            var rangeOffset = OpenTypeFile.U16(data, rangeOffsets + 2 * i);
            if (rangeOffset == 0)
                return (ushort)(codePoint + delta) != 0;
            var glyph = OpenTypeFile.U16(data, rangeOffsets + 2 * i + rangeOffset + 2 * (codePoint - start));
            return glyph != 0 && (ushort)(glyph + delta) != 0;
        }
        return false;
    }

    private uint Checksum(int offset, int length)
    {
        uint sum = 0;
        Span<byte> word = stackalloc byte[4];
        for (var i = 0; i < length; i += 4)
        {
            word.Clear();
            data.AsSpan(offset + i, Math.Min(4, length - i)).CopyTo(word);
            sum += BinaryPrimitives.ReadUInt32BigEndian(word);
        }
        return sum;
    }

    private static int Padded(int length) => (length + 3) & ~3;
}
