using Customs.Ra.V1;
using RaServer.Policy;

namespace RaServer.Api;

/// <summary>Maps the published RA information and fee schedule from configuration to GetRaInfoResponse.</summary>
internal static class RaInfoMapping
{
    public static GetRaInfoResponse ToResponse(RaInfoOptions info, FeeOptions fees)
    {
        var response = new GetRaInfoResponse
        {
            Name = info.Name,
            Url = info.Url,
            Email = info.Email,
            ContactPhone = info.ContactPhone,
            ContactAddress = info.ContactAddress,
            PaymentDeadlineDays = fees.PaymentDeadlineDays,
        };
        response.Procedures.AddRange(info.Procedures.Select(p =>
        {
            var procedure = new Procedure { ServiceType = ProtoEnums.ServiceType(p.ServiceType), Title = p.Title };
            if (p.Kind.Length > 0)
                procedure.Kind = ProtoEnums.Kind(p.Kind);
            procedure.Steps.AddRange(p.Steps);
            return procedure;
        }));
        response.IdentityRequirements.AddRange(info.IdentityRequirements.Select(r => new IdentityRequirement
        {
            AppliesTo = r.AppliesTo,
            SigningCertificateAuthority = r.SigningCertificateAuthority,
            Description = r.Description,
        }));
        response.AcceptedCertificateTypes.AddRange(info.AcceptedCertificateTypes.Select(t => new AcceptedCertificateType
        {
            Code = t.Code,
            Name = t.Name,
            Description = t.Description,
        }));
        response.FeeSchedule.AddRange(fees.Schedule.Select(f => new FeeScheduleEntry
        {
            Kind = ProtoEnums.Kind(f.Kind),
            ServiceType = ProtoEnums.ServiceType(f.ServiceType),
            AmountNtd = f.AmountNtd,
            ValidityYears = f.ValidityYears,
        }));
        return response;
    }
}
