using RaServer.Policy;
using RaServer.Storage;
using RaServer.Workflow;

namespace RaServer.Tests.Policy;

public class SerialHexTests
{
    [Theory]
    [InlineData("00C1", "C1")]
    [InlineData("c1", "C1")]
    [InlineData("0A1B", "A1B")]
    [InlineData(" 000a1b ", "A1B")]
    [InlineData("00", "0")]
    public void Every_spelling_of_a_serial_meets_in_one_canonical_form(string spelling, string canonical) =>
        Assert.Equal(canonical, SerialHex.Canonical(spelling));
}
