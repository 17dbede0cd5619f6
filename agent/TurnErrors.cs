using CodingAgent.Model;

namespace CodingAgent.Agent;

/// <summary>The errors a turn can end with, by code; callers recognise a cancelled turn by <see cref="Cancelled"/>.</summary>
public static class TurnErrors
{
    public const string Cancelled = ErrorCodes.TurnCancelled;
    public const string NotStarted = ErrorCodes.TurnNotStarted;
    public const string Timeout = ErrorCodes.TurnTimeout;
    public const string AgentError = ErrorCodes.AgentError;
    public const string ProtocolErrorCode = ErrorCodes.AgentProtocolError;

    public static RunError CancelledError() =>
        new(Cancelled, "The turn was aborted before it finished.", Phases.Turn, false);

    public static RunError NotStartedError(string reason) =>
        new(NotStarted, $"OpenCode accepted the prompt but never started the turn: {reason}", Phases.Turn, true);

    public static RunError TimeoutError(TimeSpan timeout) =>
        new(Timeout, $"The turn did not finish within {timeout.TotalSeconds:0} s and was aborted.", Phases.Turn, true);

    public static RunError AgentFailure(string message) => new(AgentError, message, Phases.Turn, false);

    public static RunError ProtocolError(string message) => new(ProtocolErrorCode, message + " The turn was aborted.", Phases.Turn, false);
}
