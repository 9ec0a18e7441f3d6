using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.InteropServices;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace EmbeddedCa.Pkcs11;

/// <summary>
/// PKCS#11 modules loaded into this process, one per path. A module is initialised once (C_Initialize) and never
/// finalised: C_Finalize would end every session of the process, another token user's too, and a module reads its
/// configuration (SOFTHSM2_CONF) only when it is initialised. Whoever else in the process talks to a module (tests
/// reading a key's attributes) takes it from here, never loads it a second time.
/// </summary>
public static class Pkcs11Module
{
    private static readonly ConcurrentDictionary<string, Lazy<IPkcs11Library>> Loaded = new();

    static Pkcs11Module()
    {
        // Pkcs11Interop 5.3 opens modules through "libdl", a name glibc 2.34 and later ship only as libdl.so.2.
        NativeLibrary.SetDllImportResolver(typeof(Pkcs11InteropFactories).Assembly, ResolveLibdl);
    }

    public static Pkcs11InteropFactories Factories { get; } = new();

    /// <summary>The module at <paramref name="path"/>, loaded and initialised on first use.</summary>
    public static IPkcs11Library Load(string path)
    {
        var lazy = Loaded.GetOrAdd(Path.GetFullPath(path), full => new Lazy<IPkcs11Library>(
            () => Factories.Pkcs11LibraryFactory.LoadPkcs11Library(Factories, full, AppType.MultiThreaded)));
        try
        {
            return lazy.Value;
        }
        catch
        {
            // A module that failed to load (a wrong path, then fixed) is tried again next time.
            Loaded.TryRemove(new KeyValuePair<string, Lazy<IPkcs11Library>>(Path.GetFullPath(path), lazy));
            throw;
        }
    }

    private static IntPtr ResolveLibdl(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name == "libdl" && OperatingSystem.IsLinux() && NativeLibrary.TryLoad("libdl.so.2", out var handle) ? handle : IntPtr.Zero;
}
