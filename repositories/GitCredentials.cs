namespace CodingAgent.Repositories;

/// <summary>
/// Hands a token to one git command through a credential helper that reads it from that command's environment: it is
/// never written to the repository's configuration, a remote URL, the command line, or a credential store.
/// </summary>
public static class GitCredentials
{
    public const string TokenVariable = "CODING_AGENT_GIT_TOKEN";

    /// <summary>Options that go right after <c>git</c>: no configured helper is asked, ours answers from the environment.</summary>
    public const string ConfigOptions =
        "-c credential.helper= -c 'credential.helper=!f() { test \"$1\" = get && echo username=x-access-token && echo \"password=$" + TokenVariable + "\"; }; f'";

    /// <summary>The git options and environment for one command; nothing when there is no token.</summary>
    public static (string Options, IReadOnlyDictionary<string, string> Environment) For(string? token) =>
        token is { Length: > 0 }
            ? (ConfigOptions + " ", new Dictionary<string, string> { [TokenVariable] = token, ["GIT_TERMINAL_PROMPT"] = "0" })
            : (string.Empty, new Dictionary<string, string> { ["GIT_TERMINAL_PROMPT"] = "0" });
}
