using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace RaServer.Trust;

/// <summary>
/// Signer profiles keyed by SHA-256 of the certificate bytes, bounded. When full it starts over rather
/// than tracking recency: the working set of active signers is far below the bound, so a reset is rare
/// and costs each signer one rebuild.
/// </summary>
internal sealed class SignerProfileCache(int capacity, TrustAnchors trust)
{
    private readonly ConcurrentDictionary<Digest, SignerProfile> _profiles = new();

    public int Count => _profiles.Count;

    public SignerProfile Get(ReadOnlySpan<byte> certificateDer)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(certificateDer, hash);
        var key = new Digest(
            MemoryMarshal.Read<ulong>(hash), MemoryMarshal.Read<ulong>(hash[8..]),
            MemoryMarshal.Read<ulong>(hash[16..]), MemoryMarshal.Read<ulong>(hash[24..]));
        if (_profiles.TryGetValue(key, out var cached))
            return cached;

        var profile = SignerProfile.Build(certificateDer.ToArray(), Convert.ToHexString(hash), trust);
        if (_profiles.Count >= capacity)
            _profiles.Clear();
        return _profiles.GetOrAdd(key, profile);
    }

    private readonly record struct Digest(ulong A, ulong B, ulong C, ulong D);
}
