namespace RaServer.Printing;

/// <summary>Configuration section "SlipPrinting": the font the printable payment slips are drawn in.</summary>
public sealed class SlipPrintingOptions
{
    public const string Section = "SlipPrinting";

    /// <summary>
    /// A TrueType-outline font file (.ttf, or a .ttc collection) with Traditional Chinese. The default is what
    /// scripts/install-deps installs: Debian's fonts-arphic-uming.
    /// </summary>
    public string FontFile { get; set; } = "/usr/share/fonts/truetype/arphic/uming.ttc";

    /// <summary>The family name of the face to use in that file (a collection holds several).</summary>
    public string FontFace { get; set; } = "AR PL UMing TW";
}
