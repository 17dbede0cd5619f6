namespace CodingAgent.Application.Keys;

/// <summary>The scopes an API key can hold.</summary>
public static class Scopes
{
    public const string Read = "read:builder";
    public const string Write = "write:builder";

    public static readonly IReadOnlyList<string> All = [Read, Write];
}
