using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EmbeddedCa;

/// <summary>
/// What the CA itself checks of a CSR before it signs, as any CA would: that it is one PKCS#10 request and that its
/// self-signature verifies (the proof of possession). Which keys are good enough is the RA's key policy, checked
/// before the request reaches the CA (RaServer's Policy.CsrPolicy, and through <see cref="Cmp.ICmpCsrPolicy"/> for
/// CMP clients), so it is not repeated here.
/// </summary>
/// <param name="PublicKey">The key to certify.</param>
/// <param name="Subject">The CSR's own subject: only a raw CMP request takes it (<see cref="CertificateProfile.FromCmpRequest"/>).</param>
public sealed record CsrProof(PublicKey PublicKey, X500DistinguishedName Subject)
{
    /// <exception cref="CaRefusedException">badPOP for a self-signature that does not verify, badAlg for a key or
    /// signature algorithm .NET cannot verify, badDataFormat for anything that is not one PKCS#10 request.</exception>
    public static CsrProof Verify(ReadOnlySpan<byte> csrDer)
    {
        CertificateRequest request;
        try
        {
            request = CertificateRequest.LoadSigningRequest(csrDer, HashAlgorithmName.SHA256, out var read, CertificateRequestLoadOptions.Default);
            if (read != csrDer.Length)
                throw new CaRefusedException(CmpFailureInfo.BadDataFormat, "the CSR is followed by extra bytes");
        }
        catch (NotSupportedException e)
        {
            throw new CaRefusedException(CmpFailureInfo.BadAlg, $"the CSR's key or signature algorithm is not supported: {e.Message}");
        }
        catch (CryptographicException e)
        {
            throw new CaRefusedException(Parses(csrDer) ? CmpFailureInfo.BadPop : CmpFailureInfo.BadDataFormat,
                $"the CSR's self-signature does not verify: {e.Message}");
        }
        return new CsrProof(request.PublicKey, request.SubjectName);
    }

    // Only on the refusal path: a request that parses without the signature check has a forged or broken signature.
    private static bool Parses(ReadOnlySpan<byte> csrDer)
    {
        try
        {
            CertificateRequest.LoadSigningRequest(csrDer, HashAlgorithmName.SHA256, out _, CertificateRequestLoadOptions.SkipSignatureValidation);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
