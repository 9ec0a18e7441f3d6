using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace EmbeddedCa.Pkcs11;

/// <summary>
/// The CA's keys in a PKCS#11 token: generated there (CKA_SENSITIVE, not CKA_EXTRACTABLE), found again by label by
/// every later start and every replica on the token, and used only through the token's signing. The store keeps the
/// certificates alone.
/// </summary>
public sealed class Pkcs11CaKeySource(Pkcs11Token token, Pkcs11KeyLabels labels) : ICaKeySource
{
    // DER of the P-256 OID, as CKA_EC_PARAMS holds it.
    private static readonly byte[] P256Parameters = [0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
    private const int RsaBits = 2048;

    public CaKeySourceKind Kind => CaKeySourceKind.Pkcs11;

    /// <summary>
    /// The key labelled for <paramref name="role"/>: the one already in the token (an operator may make the root there
    /// at setup; a first start that failed before storing its certificates left its keys), else a new one.
    /// </summary>
    public AsymmetricAlgorithm CreateKey(CaKeyRole role, CaKeyAlgorithm algorithm)
    {
        var label = labels.For(role);
        return token.Use(session =>
        {
            if (TokenObjects.Single(session, CKO.CKO_PRIVATE_KEY, label) is null)
                Generate(session, label, algorithm);
            return Key(session, label, algorithm);
        });
    }

    /// <summary>Nothing: the private key stays in the token.</summary>
    public string? Seal(AsymmetricAlgorithm key) => null;

    /// <summary>The key labelled for <paramref name="role"/>, refused unless it is the key the stored certificate certifies.</summary>
    public AsymmetricAlgorithm Open(CaKeyRole role, StoredCaMaterial stored)
    {
        var label = labels.For(role);
        var key = token.Use(session => TokenObjects.Single(session, CKO.CKO_PRIVATE_KEY, label) is null
            ? throw new CryptographicException($"The token '{token.Label}' has no private key labelled '{label}' for the CA's {role} key.")
            : Key(session, label, stored.KeyAlgorithm));
        using var certificate = X509CertificateLoader.LoadCertificate(stored.Certificate(role));
        if (!certificate.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()))
        {
            key.Dispose();
            throw new CryptographicException(
                $"The key labelled '{label}' in token '{token.Label}' is not the key of the stored {role} certificate ({certificate.Subject}).");
        }
        return key;
    }

    private static void Generate(ISession session, string label, CaKeyAlgorithm algorithm)
    {
        var a = Pkcs11Module.Factories.ObjectAttributeFactory;
        var id = RandomNumberGenerator.GetBytes(16);
        List<IObjectAttribute> publicTemplate = [a.Create(CKA.CKA_TOKEN, true), a.Create(CKA.CKA_LABEL, label), a.Create(CKA.CKA_ID, id), a.Create(CKA.CKA_VERIFY, true)];
        // Sensitive and not extractable: the token never hands the private value out, wrapped or bare.
        List<IObjectAttribute> privateTemplate =
        [
            a.Create(CKA.CKA_TOKEN, true), a.Create(CKA.CKA_LABEL, label), a.Create(CKA.CKA_ID, id), a.Create(CKA.CKA_PRIVATE, true),
            a.Create(CKA.CKA_SENSITIVE, true), a.Create(CKA.CKA_EXTRACTABLE, false), a.Create(CKA.CKA_SIGN, true),
        ];
        CKM mechanism;
        switch (algorithm)
        {
            case CaKeyAlgorithm.EcdsaP256:
                publicTemplate.Add(a.Create(CKA.CKA_EC_PARAMS, P256Parameters));
                mechanism = CKM.CKM_EC_KEY_PAIR_GEN;
                break;
            case CaKeyAlgorithm.Rsa2048:
                publicTemplate.Add(a.Create(CKA.CKA_MODULUS_BITS, (ulong)RsaBits));
                publicTemplate.Add(a.Create(CKA.CKA_PUBLIC_EXPONENT, new byte[] { 0x01, 0x00, 0x01 }));
                mechanism = CKM.CKM_RSA_PKCS_KEY_PAIR_GEN;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(algorithm));
        }
        session.GenerateKeyPair(Pkcs11Module.Factories.MechanismFactory.Create(mechanism), publicTemplate, privateTemplate, out _, out _);
    }

    /// <summary>The signing key labelled <paramref name="label"/>, after checking it is of the CA's type and cannot leave the token.</summary>
    private AsymmetricAlgorithm Key(ISession session, string label, CaKeyAlgorithm algorithm)
    {
        var privateKey = TokenObjects.Single(session, CKO.CKO_PRIVATE_KEY, label)!;
        var flags = session.GetAttributeValue(privateKey, [CKA.CKA_KEY_TYPE, CKA.CKA_SENSITIVE, CKA.CKA_EXTRACTABLE]);
        var expectedType = algorithm == CaKeyAlgorithm.EcdsaP256 ? CKK.CKK_EC : CKK.CKK_RSA;
        if (flags[0].GetValueAsUlong() != (ulong)expectedType)
            throw new CryptographicException($"The key labelled '{label}' in token '{token.Label}' is not a {algorithm} key.");
        if (!flags[1].GetValueAsBool() || flags[2].GetValueAsBool())
            throw new CryptographicException($"The key labelled '{label}' in token '{token.Label}' could leave the token (CKA_SENSITIVE false or CKA_EXTRACTABLE true); the CA uses only keys that cannot.");
        var publicKey = TokenObjects.Single(session, CKO.CKO_PUBLIC_KEY, label)
            ?? throw new CryptographicException($"The token '{token.Label}' has no public key labelled '{label}' beside its private key.");
        var tokenKey = new TokenKey(token, label);
        if (algorithm == CaKeyAlgorithm.EcdsaP256)
        {
            var values = session.GetAttributeValue(publicKey, [CKA.CKA_EC_PARAMS, CKA.CKA_EC_POINT]);
            if (!values[0].GetValueAsByteArray().AsSpan().SequenceEqual(P256Parameters))
                throw new CryptographicException($"The key labelled '{label}' in token '{token.Label}' is not on P-256.");
            var point = UncompressedPoint(values[1].GetValueAsByteArray());
            return new Pkcs11EcdsaKey(tokenKey, new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint { X = point[1..33], Y = point[33..] },
            });
        }
        var rsa = session.GetAttributeValue(publicKey, [CKA.CKA_MODULUS, CKA.CKA_PUBLIC_EXPONENT]);
        return new Pkcs11RsaKey(tokenKey, new RSAParameters { Modulus = rsa[0].GetValueAsByteArray(), Exponent = rsa[1].GetValueAsByteArray() });
    }

    /// <summary>CKA_EC_POINT is the DER OCTET STRING of the point (PKCS#11 2.40); some modules give the bare point.</summary>
    private static byte[] UncompressedPoint(byte[] value)
    {
        var point = value.Length == 65 && value[0] == 0x04 ? value : AsnDecoder.ReadOctetString(value, AsnEncodingRules.DER, out _);
        return point.Length == 65 && point[0] == 0x04 ? point : throw new CryptographicException("The token's P-256 public key is not an uncompressed point.");
    }
}
