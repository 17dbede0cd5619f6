namespace CodingAgent.Application.Queue;

/// <summary>
/// A command the product will not carry out, already recorded with its reason. Thrown so the queue's host counts the
/// attempt as failed and, after its dequeue count, moves the message to the poison queue.
/// </summary>
public sealed class QueueCommandRejectedException : Exception
{
    public QueueCommandRejectedException()
    {
    }

    public QueueCommandRejectedException(string message)
        : base(message)
    {
    }

    public QueueCommandRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
