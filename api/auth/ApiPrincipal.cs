namespace CodingAgent.Api.Auth;

public sealed record ApiPrincipal(string Account, string KeyId, IReadOnlyList<string> Scopes);

public static class Scopes
{
    public const string Read = "read:builder";
    public const string Write = "write:builder";

    public static readonly IReadOnlyList<string> All = [Read, Write];
}
