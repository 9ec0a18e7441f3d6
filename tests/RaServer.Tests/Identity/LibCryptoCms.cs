using System.Runtime.InteropServices;

namespace RaServer.Tests.Identity;

/// <summary>
/// What <c>openssl cms -verify -noverify -binary -inform DER</c> answers, asked of the machine's libcrypto in this
/// process: the same CMS_verify call the command makes (d2i_CMS_bio, then CMS_verify with
/// CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY over the detached content), without starting a process, which costs tens of
/// milliseconds where the check costs one. For tests that ask it hundreds of times; they also compare it with the
/// command on a sample, so the two cannot drift apart unnoticed.
/// </summary>
internal static class LibCryptoCms
{
    private const string LibCrypto = "libcrypto.so.3";
    private const uint NoSignerCertVerify = 0x20; // CMS_NO_SIGNER_CERT_VERIFY: -noverify, the chain is the RA's business
    private const uint Binary = 0x80; // CMS_BINARY: -binary, the content as bytes, no MIME canonicalisation

    /// <summary>Whether the signature in the DER <paramref name="cms"/> is good over <paramref name="content"/>.</summary>
    public static bool Verifies(byte[] cms, byte[] content)
    {
        // A memory BIO reads the caller's buffer in place, so both stay pinned until the BIOs are freed.
        var cmsPin = GCHandle.Alloc(cms, GCHandleType.Pinned);
        var contentPin = GCHandle.Alloc(content, GCHandleType.Pinned);
        var cmsBio = BIO_new_mem_buf(cmsPin.AddrOfPinnedObject(), cms.Length);
        var contentBio = BIO_new_mem_buf(contentPin.AddrOfPinnedObject(), content.Length);
        var outBio = BIO_new(BIO_s_mem());
        var parsed = IntPtr.Zero;
        try
        {
            if (cmsBio == IntPtr.Zero || contentBio == IntPtr.Zero || outBio == IntPtr.Zero)
                throw new InvalidOperationException("libcrypto could not allocate a BIO");
            parsed = d2i_CMS_bio(cmsBio, IntPtr.Zero);
            return parsed != IntPtr.Zero
                && CMS_verify(parsed, IntPtr.Zero, IntPtr.Zero, contentBio, outBio, NoSignerCertVerify | Binary) > 0;
        }
        finally
        {
            if (parsed != IntPtr.Zero)
                CMS_ContentInfo_free(parsed);
            BIO_free(outBio);
            BIO_free(contentBio);
            BIO_free(cmsBio);
            ERR_clear_error(); // a refusal leaves its reasons on this thread's queue, where .NET's own calls would find them
            contentPin.Free();
            cmsPin.Free();
        }
    }

    [DllImport(LibCrypto)]
    private static extern IntPtr BIO_new_mem_buf(IntPtr buffer, int length);

    [DllImport(LibCrypto)]
    private static extern IntPtr BIO_s_mem();

    [DllImport(LibCrypto)]
    private static extern IntPtr BIO_new(IntPtr type);

    [DllImport(LibCrypto)]
    private static extern int BIO_free(IntPtr bio);

    [DllImport(LibCrypto)]
    private static extern IntPtr d2i_CMS_bio(IntPtr bio, IntPtr cms);

    [DllImport(LibCrypto)]
    private static extern int CMS_verify(IntPtr cms, IntPtr certs, IntPtr store, IntPtr content, IntPtr output, uint flags);

    [DllImport(LibCrypto)]
    private static extern void CMS_ContentInfo_free(IntPtr cms);

    [DllImport(LibCrypto)]
    private static extern void ERR_clear_error();
}
