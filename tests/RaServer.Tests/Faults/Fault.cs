namespace RaServer.Tests.Faults;

/// <summary>A fault a test makes for real and then undoes, named as the figures name it.</summary>
public sealed record Fault(string Name, Func<Task> BeginAsync, Func<Task> EndAsync)
{
    /// <summary>Made while no client request is in flight (<see cref="MixedLoad.BetweenRequestsAsync"/>): a clock step.</summary>
    public bool BetweenRequests { get; init; }

    /// <summary>A fault made and undone by two steps that need no waiting.</summary>
    public static Fault Of(string name, Action begin, Action end) =>
        new(name, () => { begin(); return Task.CompletedTask; }, () => { end(); return Task.CompletedTask; });
}
