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

    public SignedEnvelope Sign(IMessage payload)
    {
        var bytes = payload.ToByteArray();
        return new SignedEnvelope
        {
            Payload = ByteString.CopyFrom(bytes),
            CmsSignature = ByteString.CopyFrom(DetachedCmsSigner.Sign(bytes, signingCertificate, clock.GetUtcNow())),
        };
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
