namespace CodingAgent.Application.Workflow;

/// <summary>Function names of the activities (the classes live in activities/).</summary>
public static class ActivityNames
{
    public const string ProvisionRun = "ProvisionRun";
    public const string RunTurn = "RunTurn";
    public const string ValidateTurn = "ValidateTurn";
    public const string RequestFixTurn = "RequestFixTurn";
    public const string PublishTurn = "PublishTurn";
    public const string SettleTurn = "SettleTurn";
    public const string TeardownRun = "TeardownRun";
    public const string Deliver = "Deliver";
    public const string AbandonDelivery = "AbandonDelivery";
}
