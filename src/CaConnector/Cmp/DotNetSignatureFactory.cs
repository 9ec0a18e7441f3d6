using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;

namespace CaConnector.Cmp;

/// <summary>
/// Lets BouncyCastle build CMP protection while .NET (OpenSSL) does the private-key work: BouncyCastle's managed
/// RSA signs about 16 times slower (docs/PERFORMANCE.md).
/// </summary>
internal sealed class DotNetSignatureFactory : ISignatureFactory
{
    private readonly AsymmetricAlgorithm _key;

    public DotNetSignatureFactory(AsymmetricAlgorithm key)
    {
        _key = key;
        AlgorithmDetails = key switch
        {
            RSA => new AlgorithmIdentifier(new DerObjectIdentifier(SignatureAlgorithms.Sha256WithRsa), DerNull.Instance),
            ECDsa => new AlgorithmIdentifier(new DerObjectIdentifier(SignatureAlgorithms.EcdsaWithSha256)),
            _ => throw new NotSupportedException($"RA keys must be RSA or ECDSA, not {key.GetType().Name}."),
        };
    }

    public object AlgorithmDetails { get; }

    public IStreamCalculator<IBlockResult> CreateCalculator() => new Calculator(_key);

    private sealed class Calculator(AsymmetricAlgorithm key) : IStreamCalculator<IBlockResult>
    {
        private readonly MemoryStream _buffer = new();

        public Stream Stream => _buffer;

        public IBlockResult GetResult()
        {
            var data = _buffer.ToArray();
            var signature = key switch
            {
                RSA rsa => rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
                ECDsa ecdsa => ecdsa.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence),
                _ => throw new NotSupportedException(),
            };
            return new SimpleBlockResult(signature);
        }
    }
}
