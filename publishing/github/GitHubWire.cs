using System.Text.Json.Serialization;

namespace CodingAgent.Publishing.GitHub;

// The members of GitHub's REST documents the publisher reads and sends (https://docs.github.com/rest).

internal sealed record InstallationDocument([property: JsonPropertyName("id")] long Id);

internal sealed record InstallationTokenRequest(
    [property: JsonPropertyName("repositories")] IReadOnlyList<string> Repositories,
    [property: JsonPropertyName("permissions")] IReadOnlyDictionary<string, string> Permissions);

internal sealed record InstallationTokenDocument(
    [property: JsonPropertyName("token")] string Token,
    [property: JsonPropertyName("expires_at")] DateTimeOffset ExpiresAt);

internal sealed record RepositoryDocument([property: JsonPropertyName("default_branch")] string DefaultBranch);

internal sealed record PullRequestRequest(
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("head")] string Head,
    [property: JsonPropertyName("base")] string Base,
    [property: JsonPropertyName("body")] string Body,
    [property: JsonPropertyName("draft")] bool Draft);

internal sealed record PullRequestDocument(
    [property: JsonPropertyName("number")] int Number,
    [property: JsonPropertyName("html_url")] string HtmlUrl);

internal sealed record ErrorDocument(
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("errors")] IReadOnlyList<ErrorDetail>? Errors);

internal sealed record ErrorDetail([property: JsonPropertyName("message")] string? Message, [property: JsonPropertyName("code")] string? Code);

/// <summary>A pull request the run opened (or found already open for its branch).</summary>
public sealed record PullRequest(int Number, string Url);
