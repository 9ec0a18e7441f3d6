using RaServer.Api;
using CaReason = CaConnector.RevocationReason;
using ContractReason = Customs.Ra.V1.RevocationReason;

namespace RaServer.Tests.Contract;

public class RevocationReasonMappingTests
{
    [Fact]
    public void Every_reason_the_contract_lists_means_the_same_on_both_sides()
    {
        foreach (var reason in Enum.GetValues<CaReason>().Where(r => r != CaReason.RemoveFromCrl))
        {
            var contract = RevocationReasonMapping.ToProto(reason);
            Assert.Equal(reason == CaReason.Unspecified ? "UnspecifiedReason" : reason.ToString(), contract.ToString(), ignoreCase: true);
            Assert.Equal(reason, RevocationReasonMapping.FromProto(contract));
        }
    }

    [Fact]
    public void A_stored_code_maps_like_its_reason_and_none_is_not_set()
    {
        Assert.Equal(ContractReason.KeyCompromise, RevocationReasonMapping.StoredCodeToProto(1));
        Assert.Equal(ContractReason.UnspecifiedReason, RevocationReasonMapping.StoredCodeToProto(0));
        Assert.Equal(ContractReason.Unspecified, RevocationReasonMapping.StoredCodeToProto(null));
    }

    [Theory]
    [InlineData(ContractReason.Unspecified)]
    [InlineData((ContractReason)9)]
    [InlineData((ContractReason)12)]
    public void Not_set_and_numbers_the_contract_does_not_list_name_no_reason(ContractReason reason) =>
        Assert.Null(RevocationReasonMapping.FromProto(reason));
}
