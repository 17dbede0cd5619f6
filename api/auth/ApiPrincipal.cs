using CodingAgent.Model;

namespace CodingAgent.Api.Auth;

public sealed record ApiPrincipal(string Account, string KeyId, IReadOnlyList<string> Scopes)
{
    /// <summary>The caller's run <paramref name="runId"/>: looked up in the caller's account only, so another account's run is not there.</summary>
    public RunKey Run(string runId) => new(Account, runId);
}
