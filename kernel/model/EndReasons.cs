namespace CodingAgent.Model;

public static class EndReasons
{
    public const string EndSession = "end_session";
    public const string Expired = "expired";
    public const string SandboxLost = "sandbox_lost";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
}
