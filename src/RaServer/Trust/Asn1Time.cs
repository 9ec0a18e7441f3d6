using System.Formats.Asn1;

namespace RaServer.Trust;

/// <summary>X.509/CMS Time ::= CHOICE { utcTime UTCTime, generalTime GeneralizedTime }.</summary>
internal static class Asn1Time
{
    public static bool IsNext(AsnReader reader) =>
        reader.HasData && (reader.PeekTag() == Asn1Tag.UtcTime || reader.PeekTag() == Asn1Tag.GeneralizedTime);

    public static DateTimeOffset Read(AsnReader reader) =>
        reader.PeekTag() == Asn1Tag.UtcTime ? reader.ReadUtcTime() : reader.ReadGeneralizedTime();
}
