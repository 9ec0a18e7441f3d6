using Microsoft.Extensions.Options;
using RaServer.Printing;

namespace RaServer.Hosting;

public static class SlipPrintingServiceCollectionExtensions
{
    /// <summary>
    /// Binds section "SlipPrinting" (its font is loaded and checked at start) and registers the
    /// <see cref="SlipPdfRenderer"/> that GetPaymentSlip and PrintPaymentSlip use for format PDF.
    /// </summary>
    public static IServiceCollection AddSlipPrinting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<SlipPrintingOptions, SlipPrintingOptionsValidator>(configuration.GetSection(SlipPrintingOptions.Section));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SlipPrintingOptions>>().Value;
            return new SlipPdfRenderer(SlipFont.Load(options.FontFile, options.FontFace));
        });
        return services;
    }
}
