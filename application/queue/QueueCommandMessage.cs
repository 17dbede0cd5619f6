using CodingAgent.Application.Requests;

namespace CodingAgent.Application.Queue;

/// <summary>
/// One message of the command queue (docs/queue.md). <see cref="Type"/> decides which members count:
/// <c>run.create</c> takes <see cref="Run"/> (the body of <c>POST /runs</c>), <c>run.message</c> takes <see cref="RunId"/>
/// and <see cref="Prompt"/>, <c>run.end</c> takes <see cref="RunId"/>.
/// </summary>
public sealed record QueueCommandMessage
{
    public string? Type { get; init; }

    public string? Account { get; init; }

    /// <summary>Makes the command happen once however often it is delivered; default: the queue message's own id.</summary>
    public string? IdempotencyKey { get; init; }

    public CreateRunRequest? Run { get; init; }

    public string? RunId { get; init; }

    public string? Prompt { get; init; }

    /// <summary><c>run.create</c>: a queue that receives the run's notifications.</summary>
    public string? ReplyTo { get; init; }
}

public static class QueueCommandTypes
{
    public const string Create = "run.create";
    public const string Message = "run.message";
    public const string End = "run.end";
}
