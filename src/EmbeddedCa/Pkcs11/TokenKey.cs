using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace EmbeddedCa.Pkcs11;

/// <summary>A private key in the token, named by its label; the token signs with it, nothing else can.</summary>
internal sealed class TokenKey(Pkcs11Token token, string label)
{
    private volatile IObjectHandle? _handle;

    public string Label => label;

    /// <summary>Signs <paramref name="data"/> with <paramref name="mechanism"/> in one of the token's sessions.</summary>
    public byte[] Sign(CKM mechanism, byte[] data) => token.Use(session =>
    {
        var handle = _handle ??= Find(session);
        try
        {
            return session.Sign(Pkcs11Module.Factories.MechanismFactory.Create(mechanism), handle, data);
        }
        catch (Pkcs11Exception e) when (e.RV is CKR.CKR_OBJECT_HANDLE_INVALID or CKR.CKR_KEY_HANDLE_INVALID)
        {
            // A token that restarted numbers its objects anew: find the key by its label again, once.
            _handle = handle = Find(session);
            return session.Sign(Pkcs11Module.Factories.MechanismFactory.Create(mechanism), handle, data);
        }
    });

    private IObjectHandle Find(ISession session) =>
        TokenObjects.Single(session, CKO.CKO_PRIVATE_KEY, label)
        ?? throw new CaUnavailableException($"The token '{token.Label}' has no private key labelled '{label}' any more.", requestMayHaveReachedCa: false);
}
