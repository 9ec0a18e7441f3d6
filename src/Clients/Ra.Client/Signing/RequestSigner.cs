using System.Security.Cryptography.X509Certificates;
using Customs.Ra.V1;
using Google.Protobuf;

namespace Ra.Client.Signing;

/// <summary>
/// Wraps a payload message into the SignedEnvelope every applicant RPC takes: the payload's exact bytes and a
/// detached CMS signature over them, made with the applicant's certificate (MOEACA for a company, MOICA for a
/// self-filer). The RA verifies the bytes it receives, so the payload is serialized once, here.
/// </summary>
public sealed class RequestSigner(X509Certificate2 signingCertificate, TimeProvider? clock = null)
{
    private readonly TimeProvider clock = clock ?? TimeProvider.System;

    /// <summary>
    /// Signs <paramref name="payload"/> for its RPC. A header whose rpc is empty is given the RegistrationAuthority
    /// method the payload is named after (GetApplicationPayload → "/customs.ra.v1.RegistrationAuthority/GetApplication"),
    /// because the RA accepts a signature only on the RPC it names; an rpc already set is left as it is.
    /// </summary>
    public SignedEnvelope Sign(IMessage payload)
    {
        BindToRpc(payload);
        var bytes = payload.ToByteArray();
        return new SignedEnvelope
        {
            Payload = ByteString.CopyFrom(bytes),
            CmsSignature = ByteString.CopyFrom(DetachedCmsSigner.Sign(bytes, signingCertificate, clock.GetUtcNow())),
        };
    }

    /// <summary>The full method name of the RPC that takes <paramref name="payload"/>, from its name (a contract test keeps the naming).</summary>
    public static string RpcOf(IMessage payload)
    {
        var name = payload.Descriptor.Name;
        var method = name.EndsWith("Payload", StringComparison.Ordinal)
            ? RegistrationAuthority.Descriptor.FindMethodByName(name[..^"Payload".Length])
            : null;
        return method is null
            ? throw new ArgumentException($"{name} is not the payload of a RegistrationAuthority RPC", nameof(payload))
            : $"/{RegistrationAuthority.Descriptor.FullName}/{method.Name}";
    }

    private static void BindToRpc(IMessage payload)
    {
        var field = payload.Descriptor.FindFieldByNumber(1);
        if (field?.MessageType != RequestHeader.Descriptor)
            return;
        var header = (RequestHeader?)field.Accessor.GetValue(payload);
        if (header is not null && header.Rpc.Length == 0)
            header.Rpc = RpcOf(payload);
    }

    /// <summary>A header with a fresh request id for an organisation applicant.</summary>
    public static RequestHeader OrganizationHeader(string ubn, string name) => new()
    {
        RequestId = Guid.NewGuid().ToString("D"),
        Applicant = new Applicant { Organization = new OrganizationIdentity { Ubn = ubn, Name = name } },
    };

    /// <summary>A header with a fresh request id for a person (an individual self-filer).</summary>
    public static RequestHeader PersonHeader(string nationalId, string name) => new()
    {
        RequestId = Guid.NewGuid().ToString("D"),
        Applicant = new Applicant { Person = new PersonIdentity { NationalId = nationalId, Name = name } },
    };
}
