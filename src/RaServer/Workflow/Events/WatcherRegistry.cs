namespace RaServer.Workflow;

/// <summary>
/// The watchers open on this replica, by the key they wait on. Waking sets each matching watcher's
/// <see cref="WakeSignal"/> and returns at once: a watcher stuck in a slow client's WriteAsync delays no one.
/// </summary>
public sealed class WatcherRegistry
{
    private readonly Lock _lock = new();
    private readonly Dictionary<WatchKey, HashSet<Watcher>> _byKey = [];

    public Watcher Register(WatchKey key)
    {
        var watcher = new Watcher(this, key);
        lock (_lock)
        {
            if (!_byKey.TryGetValue(key, out var set))
                _byKey[key] = set = [];
            set.Add(watcher);
        }
        return watcher;
    }

    /// <summary>How many watchers are registered (all keys).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
                return _byKey.Values.Sum(s => s.Count);
        }
    }

    public void Wake(IEnumerable<WatchKey> keys)
    {
        lock (_lock)
        {
            foreach (var key in keys)
                if (_byKey.TryGetValue(key, out var set))
                    foreach (var watcher in set)
                        watcher.Signal.Set();
        }
    }

    /// <summary>After the listener reconnected: notifications may have been lost, so everyone re-reads.</summary>
    public void WakeAll()
    {
        lock (_lock)
        {
            foreach (var set in _byKey.Values)
                foreach (var watcher in set)
                    watcher.Signal.Set();
        }
    }

    private void Remove(Watcher watcher)
    {
        lock (_lock)
        {
            if (_byKey.TryGetValue(watcher.Key, out var set) && set.Remove(watcher) && set.Count == 0)
                _byKey.Remove(watcher.Key);
        }
    }

    /// <summary>One open stream's registration; dispose it when the stream ends.</summary>
    public sealed class Watcher(WatcherRegistry registry, WatchKey key) : IDisposable
    {
        public WatchKey Key { get; } = key;
        public WakeSignal Signal { get; } = new();
        public void Dispose() => registry.Remove(this);
    }
}
