namespace CodingAgent.Storage;

/// <summary>A stored API key: only the SHA-256 of the secret part is kept.</summary>
public sealed record ApiKeyRecord(
    string KeyId, string Account, IReadOnlyList<string> Scopes, string SecretHash, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);
