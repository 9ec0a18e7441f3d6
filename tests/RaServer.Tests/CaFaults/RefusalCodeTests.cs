using CaConnector;
using RaServer.Workers;

namespace RaServer.Tests.CaFaults;

/// <summary>The reason code an applicant is mailed for a CA refusal: built from failInfo names only, in bit order.</summary>
public sealed class RefusalCodeTests
{
    [Theory]
    [InlineData(CmpFailureInfo.BadCertTemplate, "CA_REFUSED:BadCertTemplate")]
    [InlineData(CmpFailureInfo.BadCertTemplate | CmpFailureInfo.BadRequest, "CA_REFUSED:BadRequest+BadCertTemplate")]
    [InlineData(CmpFailureInfo.None, "CA_REFUSED")]
    public void A_refusal_code_names_the_failinfo_bits_the_ca_set_in_bit_order(CmpFailureInfo info, string expected) =>
        Assert.Equal(expected, CaCompletion.RefusalCode(info));
}
