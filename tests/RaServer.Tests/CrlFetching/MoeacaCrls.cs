using System.Numerics;
using System.Security.Cryptography.X509Certificates;
using Ra.DevPki;
using RaServer.Tests.Harness;

namespace RaServer.Tests.CrlFetching;

/// <summary>CRLs and certificates of the dev PKI's MOEACA, for the tests of fetching trust anchors' CRLs.</summary>
internal static class MoeacaCrls
{
    private static long sequence;

    /// <summary>A CRL number above the dev PKI's files (1) and above every number handed out before in this run.</summary>
    public static BigInteger NextNumber() =>
        new BigInteger(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()) * 1000 + Interlocked.Increment(ref sequence) % 1000;

    public static async Task<byte[]> CreateAsync(BigInteger number, DateTimeOffset now, TimeSpan lifetime, params X509Certificate2[] revoked)
    {
        var pki = await SharedDevPki.GetAsync();
        using var moeaca = pki.LoadCa(DevCa.Moeaca);
        return moeaca.CreateCrl(revoked.Select(c => RevokedEntry.For(c, now.AddMinutes(-1), X509RevocationReason.KeyCompromise)),
            now.AddMinutes(-1), now.Add(lifetime), number);
    }

    /// <summary>A fresh company certificate under MOEACA (UBN 04595252), to revoke without touching the shared dev PKI.</summary>
    public static async Task<X509Certificate2> CompanyCertificateAsync()
    {
        var pki = await SharedDevPki.GetAsync();
        using var moeaca = pki.LoadCa(DevCa.Moeaca);
        return moeaca.IssueLeaf(new LeafSpec { SubjectDn = "C=TW, O=測試報關股份有限公司", Ubn = "04595252" });
    }

    public static async Task<string> KeyIdAsync()
    {
        var pki = await SharedDevPki.GetAsync();
        using var moeaca = pki.LoadCa(DevCa.Moeaca);
        return RaServer.Trust.KeyIdentifiers.Of(moeaca.Certificate);
    }
}
