using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;

namespace RaBench.Load;

/// <summary>
/// Lets BouncyCastle's message builder protect CMP requests while .NET (OpenSSL) signs, as the RA's own connector
/// does: BouncyCastle's managed ECDSA would make the client, not the server, the cost the load measures.
/// </summary>
public sealed class EcdsaSignatureFactory(ECDsa key) : ISignatureFactory
{
    private const string EcdsaWithSha256 = "1.2.840.10045.4.3.2";

    public object AlgorithmDetails { get; } = new AlgorithmIdentifier(new DerObjectIdentifier(EcdsaWithSha256));

    public IStreamCalculator<IBlockResult> CreateCalculator() => new Calculator(key);

    private sealed class Calculator(ECDsa key) : IStreamCalculator<IBlockResult>
    {
        private readonly MemoryStream _buffer = new();

        public Stream Stream => _buffer;

        // BouncyCastle closes the stream before it asks for the result; ToArray still works on a closed MemoryStream.
        public IBlockResult GetResult() =>
            new SimpleBlockResult(key.SignData(_buffer.ToArray(), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
    }
}
