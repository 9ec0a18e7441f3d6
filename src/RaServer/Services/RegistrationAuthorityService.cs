using Customs.Ra.V1;
using Grpc.Core;
using Microsoft.Extensions.Options;
using RaServer.Policy;

namespace RaServer.Services;

/// <summary>
/// The applicants' service. Every RPC but GetRaInfo takes a signed envelope and runs through the
/// SignedRequestPipeline. RPCs not overridden here answer UNIMPLEMENTED (README lists them).
/// </summary>
public sealed class RegistrationAuthorityService(
    IOptions<RaInfoOptions> raInfo, IOptions<FeeOptions> fees) : RegistrationAuthority.RegistrationAuthorityBase
{
    public override Task<GetRaInfoResponse> GetRaInfo(GetRaInfoRequest request, ServerCallContext context) =>
        Task.FromResult(RaInfoMapping.ToResponse(raInfo.Value, fees.Value));
}
