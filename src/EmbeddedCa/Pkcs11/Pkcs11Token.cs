using System.Collections.Concurrent;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace EmbeddedCa.Pkcs11;

/// <summary>
/// One token of a PKCS#11 module, logged in as its user, with a small pool of sessions: a session does one operation
/// at a time, so concurrent signers each take their own. The login belongs to the process, not to a session
/// (PKCS#11 logs every session of an application in at once); it is made when the first session opens and again
/// only after every session was closed, and never ended here, since C_Logout would end it for every session.
/// </summary>
/// <remarks>
/// Every failure of the token is a <see cref="CaUnavailableException"/>: the CA cannot sign now, and the request is
/// retried later (the dispatcher does), never a crash. A session that failed is closed, not handed out again.
/// </remarks>
public sealed class Pkcs11Token : IDisposable
{
    private readonly ISlot _slot;
    private readonly string _pin;
    private readonly ConcurrentBag<ISession> _idle = [];
    private readonly SemaphoreSlim _sessions;

    private Pkcs11Token(ISlot slot, Pkcs11TokenSettings settings)
    {
        _slot = slot;
        _pin = settings.Pin;
        Label = settings.TokenLabel;
        _sessions = new SemaphoreSlim(settings.Sessions, settings.Sessions);
    }

    /// <summary>The token's CKA_LABEL, for messages.</summary>
    public string Label { get; }

    /// <summary>
    /// Loads the module, finds the token by its label and logs in, so that a wrong path, a missing token or a refused
    /// PIN is found at start and said in one sentence.
    /// </summary>
    public static Pkcs11Token Open(Pkcs11TokenSettings settings)
    {
        if (settings.Sessions < 1)
            throw new ArgumentException("A token needs at least one session.", nameof(settings));
        IPkcs11Library module;
        try
        {
            module = Pkcs11Module.Load(settings.LibraryPath);
        }
        catch (Exception e) when (e is Pkcs11Exception or UnmanagedException or DllNotFoundException or IOException)
        {
            throw new CaUnavailableException($"The PKCS#11 module '{settings.LibraryPath}' could not be loaded: {e.Message}", requestMayHaveReachedCa: false, e);
        }
        var slots = Token(() => module.GetSlotList(SlotsType.WithTokenPresent), $"module '{settings.LibraryPath}'");
        var labels = slots.Select(s => (Slot: s, Label: Token(() => s.GetTokenInfo().Label, $"module '{settings.LibraryPath}'"))).ToList();
        var matching = labels.Where(s => s.Label == settings.TokenLabel).ToList();
        if (matching.Count != 1)
        {
            var present = string.Join(", ", labels.Select(s => s.Label).Where(l => l.Length > 0).Select(l => $"'{l}'"));
            throw new CaUnavailableException(matching.Count == 0
                ? $"The PKCS#11 module '{settings.LibraryPath}' has no token labelled '{settings.TokenLabel}' (tokens present: {(present.Length > 0 ? present : "none")})."
                : $"The PKCS#11 module '{settings.LibraryPath}' has {matching.Count} tokens labelled '{settings.TokenLabel}'; labels must be unique.",
                requestMayHaveReachedCa: false);
        }
        var token = new Pkcs11Token(matching[0].Slot, settings);
        token.Use(_ => true); // opens the first session and logs in
        return token;
    }

    /// <summary>Runs <paramref name="work"/> on a logged-in session of its own; a token failure is a <see cref="CaUnavailableException"/>.</summary>
    public T Use<T>(Func<ISession, T> work)
    {
        _sessions.Wait();
        ISession? session = null;
        try
        {
            session = _idle.TryTake(out var idle) ? idle : OpenLoggedIn();
            var result = work(session);
            _idle.Add(session);
            session = null;
            return result;
        }
        catch (Pkcs11Exception e)
        {
            throw new CaUnavailableException($"The CA's key token '{Label}' failed: {Explain(e.RV)}", requestMayHaveReachedCa: false, e);
        }
        finally
        {
            if (session is not null)
                Close(session);
            _sessions.Release();
        }
    }

    public void Dispose()
    {
        while (_idle.TryTake(out var session))
            Close(session);
        _sessions.Dispose();
    }

    private ISession OpenLoggedIn()
    {
        var session = _slot.OpenSession(SessionType.ReadWrite);
        try
        {
            session.Login(CKU.CKU_USER, _pin);
        }
        catch (Pkcs11Exception e) when (e.RV == CKR.CKR_USER_ALREADY_LOGGED_IN)
        {
            // Another session of this process (this pool's, or another replica's in one test process) logged in.
        }
        catch
        {
            Close(session);
            throw;
        }
        return session;
    }

    private static void Close(ISession session)
    {
        try
        {
            session.Dispose();
        }
        catch (Pkcs11Exception)
        {
            // A session of a token that is gone cannot be closed cleanly; it is dropped either way.
        }
    }

    private static T Token<T>(Func<T> read, string what)
    {
        try
        {
            return read();
        }
        catch (Pkcs11Exception e)
        {
            throw new CaUnavailableException($"The PKCS#11 {what} failed: {Explain(e.RV)}", requestMayHaveReachedCa: false, e);
        }
    }

    private static string Explain(CKR rv) => rv switch
    {
        CKR.CKR_PIN_INCORRECT => "the PIN was refused (CKR_PIN_INCORRECT)",
        CKR.CKR_PIN_LOCKED => "the PIN is locked (CKR_PIN_LOCKED); the token's security officer must unlock it",
        CKR.CKR_PIN_EXPIRED => "the PIN has expired (CKR_PIN_EXPIRED)",
        CKR.CKR_TOKEN_NOT_PRESENT or CKR.CKR_DEVICE_REMOVED => $"the token is not present ({rv})",
        _ => rv.ToString(),
    };
}
