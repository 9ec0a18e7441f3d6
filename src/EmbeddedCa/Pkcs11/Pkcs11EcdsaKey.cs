using System.Security.Cryptography;
using Net.Pkcs11Interop.Common;

namespace EmbeddedCa.Pkcs11;

/// <summary>
/// A P-256 key whose private half is in the token: .NET's ECDsa with <see cref="SignHash"/> done by the token. Every
/// signer of the CA signs through ECDsa (X509SignatureGenerator for certificates and CRLs, SignData for CMP answers),
/// so none of them knows where the key is.
/// </summary>
internal sealed class Pkcs11EcdsaKey : ECDsa
{
    private readonly TokenKey _key;
    private readonly ECParameters _public;

    public Pkcs11EcdsaKey(TokenKey key, ECParameters publicParameters)
    {
        _key = key;
        _public = publicParameters;
        KeySizeValue = 256;
        LegalKeySizesValue = [new KeySizes(256, 256, 0)];
    }

    /// <summary>
    /// CKM_ECDSA signs the digest it is given and answers r || s, the IEEE P1363 form this method returns; .NET turns
    /// it into the DER SEQUENCE of RFC 3279 that certificates, CRLs and CMP protection carry.
    /// </summary>
    public override byte[] SignHash(byte[] hash) => _key.Sign(CKM.CKM_ECDSA, hash);

    public override bool VerifyHash(byte[] hash, byte[] signature)
    {
        using var verifier = ECDsa.Create(_public);
        return verifier.VerifyHash(hash, signature);
    }

    public override ECParameters ExportParameters(bool includePrivateParameters) => includePrivateParameters
        ? throw new CryptographicException($"The private key labelled '{_key.Label}' never leaves its token.")
        : new ECParameters { Curve = _public.Curve, Q = new ECPoint { X = (byte[])_public.Q.X!.Clone(), Y = (byte[])_public.Q.Y!.Clone() } };

    public override ECParameters ExportExplicitParameters(bool includePrivateParameters) =>
        throw new NotSupportedException("A token key is exported as a named curve only.");

    public override void ImportParameters(ECParameters parameters) => throw new NotSupportedException("A token key cannot be replaced.");

    public override void GenerateKey(ECCurve curve) => throw new NotSupportedException("Token keys are generated in the token.");
}
