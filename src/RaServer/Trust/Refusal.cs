using RaServer.Domain;

namespace RaServer.Trust;

/// <summary>A refusal remembered in a cache; a fresh exception is made each time it is raised.</summary>
internal sealed record Refusal(RaErrorKind Kind, string Reason, string Message, IReadOnlyList<FieldProblem>? Fields = null)
{
    public RaException ToException() => new(Kind, Reason, Message, Fields);

    public static Refusal From(RaException e) => new(e.Kind, e.Reason, e.Message, e.Fields);
}
