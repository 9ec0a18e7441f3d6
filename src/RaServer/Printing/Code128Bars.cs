using ZXing;
using ZXing.OneD;

namespace RaServer.Printing;

/// <summary>
/// The bars of a Code 128 symbol as runs of modules, from ZXing's encoder (its BitMatrix, one row for a linear code),
/// so the page draws them as filled rectangles: vector bars print sharp at any printer resolution, and no image
/// library is needed.
/// </summary>
internal static class Code128Bars
{
    /// <summary>Quiet zone on each side, in modules: ISO/IEC 15417 asks for at least 10.</summary>
    public const int QuietZoneModules = 10;

    /// <summary>The symbol's width in modules, quiet zones included, and each bar as (first module, modules wide).</summary>
    public static (int Modules, IReadOnlyList<(int Start, int Width)> Bars) Encode(string contents)
    {
        var writer = new Code128Writer();
        var hints = new Dictionary<EncodeHintType, object> { [EncodeHintType.MARGIN] = QuietZoneModules };
        // Width and height 0: the narrowest matrix, one column per module and one row.
        var matrix = writer.encode(contents, BarcodeFormat.CODE_128, 0, 0, hints);
        var bars = new List<(int, int)>();
        for (var x = 0; x < matrix.Width;)
        {
            if (!matrix[x, 0])
            {
                x++;
                continue;
            }
            var start = x;
            while (x < matrix.Width && matrix[x, 0])
                x++;
            bars.Add((start, x - start));
        }
        return (matrix.Width, bars);
    }
}
