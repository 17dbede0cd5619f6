namespace CodingAgent.Model;

public static class TaskKinds
{
    public const string Code = "code";
    public const string Plan = "plan";
}
