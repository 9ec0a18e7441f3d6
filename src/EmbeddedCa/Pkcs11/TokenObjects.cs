using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace EmbeddedCa.Pkcs11;

/// <summary>Finding a token's objects by class and label.</summary>
internal static class TokenObjects
{
    /// <summary>The one object of <paramref name="objectClass"/> labelled <paramref name="label"/>, or null; two are refused.</summary>
    public static IObjectHandle? Single(ISession session, CKO objectClass, string label)
    {
        var attributes = Pkcs11Module.Factories.ObjectAttributeFactory;
        var found = session.FindAllObjects([attributes.Create(CKA.CKA_CLASS, objectClass), attributes.Create(CKA.CKA_LABEL, label)]);
        return found.Count switch
        {
            0 => null,
            1 => found[0],
            _ => throw new System.Security.Cryptography.CryptographicException(
                $"The token holds {found.Count} objects of class {objectClass} labelled '{label}'; a CA key label must name one key."),
        };
    }
}
