using System.Security.Cryptography.X509Certificates;

namespace CaConnector.Tests;

public class CrlReasonCodesTests
{
    [Fact]
    public void Every_reason_is_its_rfc_5280_code_and_back()
    {
        foreach (var reason in Enum.GetValues<RevocationReason>())
            Assert.Equal(reason, CrlReasonCodes.ReasonOf(CrlReasonCodes.CodeOf(reason)));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(7)]
    [InlineData(11)]
    public void A_number_rfc_5280_gives_no_reason_names_none(int code) => Assert.Null(CrlReasonCodes.ReasonOf(code));

    [Fact]
    public void A_crl_entry_carries_every_reason_but_unspecified_under_the_same_code()
    {
        Assert.Null(CrlReasonCodes.CrlEntryReasonOf(RevocationReason.Unspecified));
        Assert.Equal(X509RevocationReason.KeyCompromise, CrlReasonCodes.CrlEntryReasonOf(RevocationReason.KeyCompromise));
        Assert.Equal(X509RevocationReason.CertificateHold, CrlReasonCodes.CrlEntryReasonOf(RevocationReason.CertificateHold));
        Assert.Equal(X509RevocationReason.AACompromise, CrlReasonCodes.CrlEntryReasonOf(RevocationReason.AaCompromise));
    }
}
