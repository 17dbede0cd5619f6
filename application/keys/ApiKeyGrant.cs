namespace CodingAgent.Application.Keys;

/// <summary>What a live API key grants: its account and scopes.</summary>
public sealed record ApiKeyGrant(string Account, string KeyId, IReadOnlyList<string> Scopes);
