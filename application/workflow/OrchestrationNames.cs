namespace CodingAgent.Application.Workflow;

/// <summary>Function names of the orchestrations (the classes live in orchestrations/); durable history refers to runs by these.</summary>
public static class OrchestrationNames
{
    public const string Run = "RunOrchestrator";
    public const string Delivery = "DeliveryOrchestrator";
}
