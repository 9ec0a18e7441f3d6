using Microsoft.Extensions.Options;
using RaServer.Domain;

namespace RaServer.Printing;

/// <summary>
/// Refuses to start with a font that cannot print a slip (missing, not a font, CFF outlines, no glyph for a label),
/// so GetPaymentSlip and PrintPaymentSlip never learn of it from a request.
/// </summary>
internal sealed class SlipPrintingOptionsValidator : IValidateOptions<SlipPrintingOptions>
{
    public ValidateOptionsResult Validate(string? name, SlipPrintingOptions options)
    {
        var problems = new OptionsProblems(SlipPrintingOptions.Section);
        problems.Required(options.FontFace, nameof(options.FontFace));
        if (string.IsNullOrWhiteSpace(options.FontFile))
            problems.Add(nameof(options.FontFile), "is required.");
        else if (!string.IsNullOrWhiteSpace(options.FontFace))
        {
            try
            {
                SlipFont.Load(options.FontFile, options.FontFace);
            }
            catch (SlipFontException e)
            {
                problems.Add(nameof(options.FontFile), $"cannot print payment slips: {e.Message}");
            }
        }
        return problems.Result();
    }
}
