using System.Buffers.Binary;
using System.Text;
using RaServer.Printing;

namespace RaServer.Tests.Slips;

/// <summary>
/// The font check that runs at start (SlipPrinting options): a font PDFsharp cannot embed, or one without a glyph for
/// the slip's labels, stops the server with the key named instead of printing empty boxes or failing a request.
/// The fonts here are made byte by byte, so each has exactly the flaw the case is about.
/// </summary>
public sealed class SlipFontCheckTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("ra-slip-font-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static IReadOnlyList<string> Problems(string file, string face) =>
        new SlipPrintingOptionsValidator().Validate(null, new SlipPrintingOptions { FontFile = file, FontFace = face }).Failures?.ToList() ?? [];

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void The_shipped_default_font_passes()
    {
        var defaults = new SlipPrintingOptions();
        Assert.Empty(Problems(defaults.FontFile, defaults.FontFace));
    }

    [Fact]
    public void A_face_with_cff_outlines_is_refused_because_pdfsharp_cannot_embed_it()
    {
        var font = Write("cff.otf", SyntheticFont.Build("Test CFF", ("CFF ", new byte[64]), ("cmap", SyntheticFont.Cmap(SlipSheet.FixedText))));

        var problem = Assert.Single(Problems(font, "Test CFF"));

        Assert.StartsWith("SlipPrinting:FontFile cannot print payment slips:", problem);
        Assert.Contains("CFF outlines", problem);
    }

    [Fact]
    public void A_face_without_glyphs_for_the_slips_labels_is_refused_naming_them()
    {
        var font = Write("latin.ttf", SyntheticFont.TrueType("Test Latin", "0123456789ABCDEFabcdef-NT$,"));

        var problem = Assert.Single(Problems(font, "Test Latin"));

        Assert.Contains("has no glyph for 通關專屬憑證申請繳", problem);
    }

    [Fact]
    public void A_face_with_a_glyph_for_every_fixed_character_is_accepted()
    {
        // The refusal above means something only if the same check passes a face that has them all.
        var font = Write("full.ttf", SyntheticFont.TrueType("Test Full", SlipSheet.FixedText));

        Assert.Empty(Problems(font, "Test Full"));
    }

    [Fact]
    public void A_file_that_is_not_a_font_and_a_face_the_file_lacks_are_refused()
    {
        var text = Write("notes.ttf", Encoding.UTF8.GetBytes("this is not a font, just some text long enough"));
        var full = Write("full.ttf", SyntheticFont.TrueType("Test Full", SlipSheet.FixedText));

        Assert.Contains("cannot be read as an OpenType font", Assert.Single(Problems(text, "Any")));
        Assert.Contains("has no face 'Other'; it has 'Test Full'", Assert.Single(Problems(full, "Other")));
    }

    /// <summary>Minimal OpenType files: a table directory, a name table with the family, and the given tables.</summary>
    private static class SyntheticFont
    {
        public static byte[] TrueType(string family, string characters) =>
            Build(family, ("cmap", Cmap(characters)), ("glyf", new byte[4]), ("loca", new byte[8]));

        public static byte[] Build(string family, params (string Tag, byte[] Data)[] tables)
        {
            var all = tables.Append(("name", Name(family))).OrderBy(t => t.Item1, StringComparer.Ordinal).ToList();
            using var file = new MemoryStream();
            var header = new byte[12 + 16 * all.Count];
            BinaryPrimitives.WriteUInt32BigEndian(header, 0x00010000);
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(4), (ushort)all.Count);
            var offset = header.Length;
            for (var i = 0; i < all.Count; i++)
            {
                Encoding.ASCII.GetBytes(all[i].Item1, header.AsSpan(12 + 16 * i));
                BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(12 + 16 * i + 8), (uint)offset);
                BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(12 + 16 * i + 12), (uint)all[i].Item2.Length);
                offset += (all[i].Item2.Length + 3) & ~3;
            }
            file.Write(header);
            foreach (var (_, data) in all)
            {
                file.Write(data);
                file.Write(new byte[((data.Length + 3) & ~3) - data.Length]);
            }
            return file.ToArray();
        }

        /// <summary>A name table with one record: the family (name id 1) for Windows, in UTF-16BE.</summary>
        private static byte[] Name(string family)
        {
            var text = Encoding.BigEndianUnicode.GetBytes(family);
            var table = new byte[6 + 12 + text.Length];
            BinaryPrimitives.WriteUInt16BigEndian(table.AsSpan(2), 1); // count
            BinaryPrimitives.WriteUInt16BigEndian(table.AsSpan(4), 18); // strings start
            BinaryPrimitives.WriteUInt16BigEndian(table.AsSpan(6), 3); // Windows
            BinaryPrimitives.WriteUInt16BigEndian(table.AsSpan(8), 1); // Unicode BMP
            BinaryPrimitives.WriteUInt16BigEndian(table.AsSpan(10), 0x0409);
            BinaryPrimitives.WriteUInt16BigEndian(table.AsSpan(12), 1); // family
            BinaryPrimitives.WriteUInt16BigEndian(table.AsSpan(14), (ushort)text.Length);
            text.CopyTo(table, 18);
            return table;
        }

        /// <summary>A cmap whose format 4 subtable maps each of <paramref name="characters"/> to glyph 1.</summary>
        public static byte[] Cmap(string characters)
        {
            var codes = characters.Distinct().Select(c => (int)c).Order().Append(0xFFFF).ToList();
            var segments = codes.Count;
            var subtable = new byte[16 + 8 * segments];
            BinaryPrimitives.WriteUInt16BigEndian(subtable, 4);
            BinaryPrimitives.WriteUInt16BigEndian(subtable.AsSpan(2), (ushort)subtable.Length);
            BinaryPrimitives.WriteUInt16BigEndian(subtable.AsSpan(6), (ushort)(2 * segments));
            for (var i = 0; i < segments; i++)
            {
                var code = codes[i];
                BinaryPrimitives.WriteUInt16BigEndian(subtable.AsSpan(14 + 2 * i), (ushort)code); // end
                BinaryPrimitives.WriteUInt16BigEndian(subtable.AsSpan(16 + 2 * segments + 2 * i), (ushort)code); // start
                // glyph = code + delta (mod 65536): 1 for the characters, 0 (none) for the closing 0xFFFF.
                BinaryPrimitives.WriteUInt16BigEndian(subtable.AsSpan(16 + 4 * segments + 2 * i), (ushort)((code == 0xFFFF ? 1 : 1 - code) & 0xFFFF));
            }
            var table = new byte[4 + 8 + subtable.Length];
            BinaryPrimitives.WriteUInt16BigEndian(table.AsSpan(2), 1);
            BinaryPrimitives.WriteUInt16BigEndian(table.AsSpan(4), 3);
            BinaryPrimitives.WriteUInt16BigEndian(table.AsSpan(6), 1);
            BinaryPrimitives.WriteUInt32BigEndian(table.AsSpan(8), 12);
            subtable.CopyTo(table, 12);
            return table;
        }
    }
}
