using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using RaServer.Domain;

namespace RaServer.Printing;

/// <summary>
/// Lays a <see cref="SlipSheet"/> out on one A4 page: title, a ruled table of the slip's facts, the slip number as a
/// Code 128 barcode with the digits under it, and the notes. Text is drawn with the embedded subset of
/// <see cref="SlipFont"/> in Unicode (Identity-H with a ToUnicode map), so the PDF's text can be searched and
/// copied as well as printed.
/// </summary>
public sealed class SlipPdfRenderer
{
    private const double Margin = 56; // 2 cm
    private const double RowHeight = 26;
    private const double LabelWidth = 120;
    private const double CellPadding = 8;
    /// <summary>One bar module: 0.42 mm, above Code 128's usual 0.25 mm minimum for office printers and scanners.</summary>
    private const double ModuleWidth = 1.2;
    private const double BarHeight = 48;

    private static readonly XPdfFontOptions Unicode = new(PdfFontEncoding.Unicode);
    private static readonly XBrush LabelShade = new XSolidBrush(XColor.FromGrayScale(0.92));
    private static readonly XBrush StampInk = new XSolidBrush(XColor.FromArgb(200, 30, 30));

    private readonly SlipFont font;

    internal SlipPdfRenderer(SlipFont font) => this.font = font;

    /// <summary>The slip of <paramref name="application"/> as a PDF file, whatever the slip's status.</summary>
    public byte[] Render(ApplicationRow application, PaymentSlipRow slip) => Render(SlipSheet.For(application, slip));

    internal byte[] Render(SlipSheet sheet)
    {
        var document = new PdfDocument();
        document.Info.Title = $"{SlipSheet.Title} {sheet.SlipNumber}";
        document.Info.Subject = SlipSheet.EnglishTitle;
        var page = document.AddPage();
        page.Size = PageSize.A4;
        using (var graphics = XGraphics.FromPdfPage(page))
        {
            var width = page.Width.Point - 2 * Margin;
            var y = DrawHeading(graphics, sheet, width);
            y = DrawFacts(graphics, sheet, y + 18, width);
            y = DrawBarcode(graphics, sheet.SlipNumber, y + 28, width);
            DrawNotes(graphics, y + 28, width);
        }
        using var pdf = new MemoryStream();
        document.Save(pdf, closeStream: false);
        return pdf.ToArray();
    }

    private double DrawHeading(XGraphics graphics, SlipSheet sheet, double width)
    {
        var title = Font(20);
        graphics.DrawString(SlipSheet.Title, title, XBrushes.Black, new XRect(Margin, Margin, width, 28), XStringFormats.TopCenter);
        graphics.DrawString(SlipSheet.EnglishTitle, Font(10), XBrushes.Black, new XRect(Margin, Margin + 30, width, 14), XStringFormats.TopCenter);
        var bottom = Margin + 48;
        if (sheet.Stamp is { } stamp)
        {
            // A paid or void slip printed again must not be mistaken for one to pay.
            var stampFont = Font(16);
            var size = graphics.MeasureString(stamp, stampFont);
            var box = new XRect(Margin + width - size.Width - 16, bottom, size.Width + 16, size.Height + 10);
            graphics.DrawRectangle(new XPen(XColor.FromArgb(200, 30, 30), 1.5), box);
            graphics.DrawString(stamp, stampFont, StampInk, box, XStringFormats.Center);
            bottom = box.Bottom;
        }
        return bottom;
    }

    private double DrawFacts(XGraphics graphics, SlipSheet sheet, double top, double width)
    {
        var text = Font(12);
        var rule = new XPen(XColors.Black, 0.75);
        for (var i = 0; i < sheet.Lines.Count; i++)
        {
            var (label, value) = sheet.Lines[i];
            var row = top + i * RowHeight;
            graphics.DrawRectangle(LabelShade, Margin, row, LabelWidth, RowHeight);
            graphics.DrawString(label, text, XBrushes.Black,
                new XRect(Margin + CellPadding, row, LabelWidth - 2 * CellPadding, RowHeight), XStringFormats.CenterLeft);
            graphics.DrawString(value, text, XBrushes.Black,
                new XRect(Margin + LabelWidth + CellPadding, row, width - LabelWidth - 2 * CellPadding, RowHeight), XStringFormats.CenterLeft);
            graphics.DrawLine(rule, Margin, row, Margin + width, row);
        }
        var bottom = top + sheet.Lines.Count * RowHeight;
        graphics.DrawLine(rule, Margin, bottom, Margin + width, bottom);
        graphics.DrawLine(rule, Margin, top, Margin, bottom);
        graphics.DrawLine(rule, Margin + LabelWidth, top, Margin + LabelWidth, bottom);
        graphics.DrawLine(rule, Margin + width, top, Margin + width, bottom);
        return bottom;
    }

    private double DrawBarcode(XGraphics graphics, string slipNumber, double top, double width)
    {
        var (modules, bars) = Code128Bars.Encode(slipNumber);
        var left = Margin + (width - modules * ModuleWidth) / 2;
        foreach (var (start, span) in bars)
            graphics.DrawRectangle(XBrushes.Black, left + start * ModuleWidth, top, span * ModuleWidth, BarHeight);
        graphics.DrawString(slipNumber, Font(12), XBrushes.Black, new XRect(Margin, top + BarHeight + 4, width, 16), XStringFormats.TopCenter);
        return top + BarHeight + 20;
    }

    private void DrawNotes(XGraphics graphics, double top, double width)
    {
        var text = Font(10.5);
        graphics.DrawString(SlipSheet.NotesHeading, Font(12), XBrushes.Black, new XRect(Margin, top, width, 18), XStringFormats.TopLeft);
        for (var i = 0; i < SlipSheet.Notes.Length; i++)
            graphics.DrawString(SlipSheet.Notes[i], text, XBrushes.Black, new XRect(Margin, top + 22 + i * 18, width, 16), XStringFormats.TopLeft);
    }

    private XFont Font(double size) => new(font.FamilyName, size, XFontStyleEx.Regular, Unicode);
}
