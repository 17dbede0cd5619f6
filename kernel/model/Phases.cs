namespace CodingAgent.Model;

public static class Phases
{
    public const string Sandbox = "sandbox";
    public const string Clone = "clone";
    public const string Bootstrap = "bootstrap";
    public const string AgentStart = "agent_start";
    public const string Turn = "turn";
    public const string Validate = "validate";
    public const string Publish = "publish";
    public const string Teardown = "teardown";
}
