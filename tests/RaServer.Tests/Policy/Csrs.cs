using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RaServer.Tests.DevPkiTests;

namespace RaServer.Tests.Policy;

/// <summary>Applicant CSRs of every key type the policy must judge.</summary>
internal static class Csrs
{
    public static byte[] Make(string key, string subject = "CN=Applicant")
    {
        using AsymmetricAlgorithm k = key switch
        {
            "rsa-1024" => RSA.Create(1024),
            "rsa-2048" => RSA.Create(2048),
            "rsa-3072" => RSA.Create(3072),
            "p-224" => ECDsa.Create(ECCurve.CreateFromValue("1.3.132.0.33")),
            "p-256" => ECDsa.Create(ECCurve.NamedCurves.nistP256),
            "p-384" => ECDsa.Create(ECCurve.NamedCurves.nistP384),
            "p-521" => ECDsa.Create(ECCurve.NamedCurves.nistP521),
            _ => throw new ArgumentOutOfRangeException(nameof(key)),
        };
        var request = k switch
        {
            RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa ec => new CertificateRequest(subject, ec, HashAlgorithmName.SHA256),
            _ => throw new NotSupportedException(),
        };
        return request.CreateSigningRequest();
    }

    /// <summary>Key types .NET cannot make a CSR for (DSA, Ed25519), made by openssl.</summary>
    public static byte[] FromOpenSsl(string algorithm)
    {
        var folder = Directory.CreateTempSubdirectory("ra-csr-").FullName;
        try
        {
            var key = Path.Combine(folder, "key.pem");
            var csr = Path.Combine(folder, "csr.der");
            if (algorithm == "dsa")
            {
                // 1024-bit parameters: the policy refuses DSA whatever its size, and 2048-bit ones take seconds to find.
                OpenSsl.Succeed("dsaparam", "-out", Path.Combine(folder, "p.pem"), "1024");
                OpenSsl.Succeed("gendsa", "-out", key, Path.Combine(folder, "p.pem"));
            }
            else
            {
                OpenSsl.Succeed("genpkey", "-algorithm", algorithm, "-out", key);
            }
            OpenSsl.Succeed("req", "-new", "-key", key, "-subj", "/CN=Applicant", "-outform", "DER", "-out", csr);
            return File.ReadAllBytes(csr);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
