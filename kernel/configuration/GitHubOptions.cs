namespace CodingAgent.Configuration;

/// <summary>
/// GitHub (or GitHub Enterprise) for pushing and draft pull requests: a GitHub App (id + private key → installation
/// token per repository) or a token. Secrets here are never logged, stored or put into a repository's configuration.
/// </summary>
public sealed class GitHubOptions
{
    /// <summary>REST API base: <c>https://api.github.com</c>, or <c>https://{host}/api/v3</c> for GitHub Enterprise Server.</summary>
    public string ApiUrl { get; set; } = "https://api.github.com";

    /// <summary>A token (fine-grained or classic) used for every repository when no App is configured.</summary>
    public string? Token { get; set; }

    public string? AppId { get; set; }

    /// <summary>The App's private key, PEM (literal newlines or <c>\n</c> escapes).</summary>
    public string? AppPrivateKey { get; set; }

    /// <summary>The App's installation; found per repository through the API when unset.</summary>
    public long? AppInstallationId { get; set; }

    public bool HasApp => !string.IsNullOrWhiteSpace(AppId) && !string.IsNullOrWhiteSpace(AppPrivateKey);

    public bool HasCredentials => HasApp || !string.IsNullOrWhiteSpace(Token);
}
