namespace CodingAgent.Api.Auth;

public sealed record ApiPrincipal(string Account, string KeyId, IReadOnlyList<string> Scopes);
