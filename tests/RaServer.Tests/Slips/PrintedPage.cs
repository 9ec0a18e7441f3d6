using System.Diagnostics;
using System.Text;
using ZXing;
using ZXing.Common;

namespace RaServer.Tests.Slips;

/// <summary>
/// A PDF as a person at a printer meets it, read back with Poppler's tools (poppler-utils, from scripts/install-deps):
/// its page size (pdfinfo), its fonts (pdffonts), its text (pdftotext) and its first page rasterised to grey
/// (pdftoppm), from which ZXing reads the barcode the way a counter's scanner would.
/// </summary>
internal sealed class PrintedPage : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("ra-slip-").FullName;
    private readonly string pdf;

    public PrintedPage(byte[] bytes)
    {
        pdf = Path.Combine(folder, "slip.pdf");
        File.WriteAllBytes(pdf, bytes);
    }

    public string Info() => Run("pdfinfo", pdf);

    public string Fonts() => Run("pdffonts", pdf);

    /// <summary>The text in reading order, one printed line per line (-layout keeps a label and its value together).</summary>
    public string Text() => Run("pdftotext", "-layout", "-enc", "UTF-8", pdf, "-");

    /// <summary>The barcodes ZXing finds on page 1 rendered at <paramref name="dpi"/>, Code 128 only.</summary>
    public IReadOnlyList<Result> Barcodes(int dpi = 200)
    {
        var prefix = Path.Combine(folder, "page");
        Run("pdftoppm", "-gray", "-r", dpi.ToString(System.Globalization.CultureInfo.InvariantCulture), "-f", "1", "-l", "1", "-singlefile", pdf, prefix);
        var (width, height, pixels) = ReadPgm(File.ReadAllBytes(prefix + ".pgm"));
        var source = new RGBLuminanceSource(pixels, width, height, RGBLuminanceSource.BitmapFormat.Gray8);
        var reader = new MultiFormatReader();
        reader.Hints = new Dictionary<DecodeHintType, object>
        {
            [DecodeHintType.POSSIBLE_FORMATS] = new List<BarcodeFormat> { BarcodeFormat.CODE_128 },
            [DecodeHintType.TRY_HARDER] = true,
        };
        var found = reader.decodeWithState(new BinaryBitmap(new HybridBinarizer(source)));
        return found is null ? [] : [found];
    }

    /// <summary>
    /// A binary PGM ("P5"): the magic, width, height and maximum grey separated by whitespace (with '#' comments),
    /// one whitespace byte, then one byte per pixel row by row (pdftoppm writes 255 as the maximum).
    /// </summary>
    internal static (int Width, int Height, byte[] Pixels) ReadPgm(byte[] file)
    {
        var position = 0;
        string Token()
        {
            while (true)
            {
                while (position < file.Length && char.IsWhiteSpace((char)file[position]))
                    position++;
                if (position < file.Length && file[position] == '#')
                {
                    while (position < file.Length && file[position] != '\n')
                        position++;
                    continue;
                }
                break;
            }
            var start = position;
            while (position < file.Length && !char.IsWhiteSpace((char)file[position]))
                position++;
            return Encoding.ASCII.GetString(file, start, position - start);
        }
        Assert.Equal("P5", Token());
        var width = int.Parse(Token(), System.Globalization.CultureInfo.InvariantCulture);
        var height = int.Parse(Token(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal("255", Token());
        position++; // the single whitespace byte before the pixels
        Assert.Equal(width * height, file.Length - position);
        return (width, height, file[position..]);
    }

    private static string Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill();
            throw new TimeoutException($"{tool} {string.Join(' ', arguments)}");
        }
        Assert.True(process.ExitCode == 0, $"{tool} failed: {error.Result}");
        return output.Result;
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
