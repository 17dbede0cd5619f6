namespace CodingAgent.Api.OpenApi;

public static class ApiContentTypes
{
    public const string Json = "application/json";
    public const string Problem = "application/problem+json";
    public const string EventStream = "text/event-stream";
    public const string Diff = "text/x-diff";
}
