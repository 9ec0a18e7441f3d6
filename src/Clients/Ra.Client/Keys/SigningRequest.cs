using System.Security.Cryptography.X509Certificates;

namespace Ra.Client.Keys;

/// <summary>
/// The PKCS#10 CSR that SubmitCsr takes (SubmitCsrPayload.csr_der): self-signed with the applicant's key (the RA's
/// proof of possession) with SHA-256. The RA sets the certificate's subject from the application and ignores the
/// CSR's, so the subject is empty unless the caller wants one for its own records; no extensions are requested
/// because the RA never reads them.
/// </summary>
public static class SigningRequest
{
    /// <summary>The CSR, DER, as SubmitCsrPayload.csr_der wants it.</summary>
    public static byte[] CreateDer(ApplicantKey key, X500DistinguishedName? subject = null) =>
        key.RequestFor(subject ?? new X500DistinguishedName("")).CreateSigningRequest();

    /// <summary>The same CSR as PEM ("CERTIFICATE REQUEST"), for keeping next to the key or showing to openssl.</summary>
    public static string CreatePem(ApplicantKey key, X500DistinguishedName? subject = null) =>
        key.RequestFor(subject ?? new X500DistinguishedName("")).CreateSigningRequestPem();
}
