namespace CodingAgent.Orchestrations;

/// <summary>Function names of the run's activities (the classes live in activities/).</summary>
public static class ActivityNames
{
    public const string ProvisionSandbox = "ProvisionSandbox";
    public const string CloneRepository = "CloneRepository";
    public const string BootstrapSandbox = "BootstrapSandbox";
    public const string StartAgent = "StartAgent";
    public const string RunTurn = "RunTurn";
    public const string ValidateTurn = "ValidateTurn";
    public const string RequestFixTurn = "RequestFixTurn";
    public const string PublishTurn = "PublishTurn";
    public const string SettleTurn = "SettleTurn";
    public const string TeardownRun = "TeardownRun";
}
