namespace CodingAgent.Application.Workflow;

/// <summary>Names of the external events a run orchestration waits for.</summary>
public static class RunEvents
{
    public const string Message = "message";
    public const string EndSession = "endSession";
}
