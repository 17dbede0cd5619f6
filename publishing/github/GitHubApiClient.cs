using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CodingAgent.Configuration;
using Microsoft.Extensions.Options;

namespace CodingAgent.Publishing.GitHub;

/// <summary>The few GitHub REST calls publishing needs: App installation tokens, the default branch, and draft pull requests.</summary>
public sealed class GitHubApiClient(IHttpClientFactory httpClients, IOptions<GitHubOptions> options)
{
    public const string HttpClientName = "github";

    public async Task<long> GetInstallationIdAsync(GitHubRepository repository, string appJwt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        using HttpRequestMessage request = Request(HttpMethod.Get, $"repos/{repository.FullName}/installation", appJwt);
        InstallationDocument installation = await SendAsync<InstallationDocument>(request, $"the App installation lookup for {repository.FullName}", cancellationToken)
            .ConfigureAwait(false);
        return installation.Id;
    }

    /// <summary>
    /// A token of the App's installation, narrowed to the one repository and to the permissions <paramref name="access"/>
    /// needs (https://docs.github.com/rest/apps/apps#create-an-installation-access-token-for-an-app).
    /// </summary>
    public async Task<(string Token, DateTimeOffset ExpiresAt)> CreateInstallationTokenAsync(
        long installationId, GitHubRepository repository, GitHubTokenAccess access, string appJwt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        using HttpRequestMessage request = Request(HttpMethod.Post,
            $"app/installations/{installationId.ToString(CultureInfo.InvariantCulture)}/access_tokens", appJwt);
        request.Content = JsonContent.Create(new InstallationTokenRequest([repository.Name], PermissionsFor(access)));
        InstallationTokenDocument token = await SendAsync<InstallationTokenDocument>(request, "the installation token request", cancellationToken)
            .ConfigureAwait(false);
        return (token.Token, token.ExpiresAt);
    }

    private static Dictionary<string, string> PermissionsFor(GitHubTokenAccess access) => access switch
    {
        GitHubTokenAccess.Read => new() { ["contents"] = "read" },
        _ => new() { ["contents"] = "write", ["pull_requests"] = "write" },
    };

    public async Task<string> GetDefaultBranchAsync(GitHubRepository repository, string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        using HttpRequestMessage request = Request(HttpMethod.Get, $"repos/{repository.FullName}", token);
        return (await SendAsync<RepositoryDocument>(request, $"reading {repository.FullName}", cancellationToken).ConfigureAwait(false)).DefaultBranch;
    }

    /// <summary>The open pull request from <paramref name="branch"/>, if one exists (a retried publish must not open a second).</summary>
    public async Task<PullRequest?> FindOpenPullRequestAsync(GitHubRepository repository, string branch, string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        string head = Uri.EscapeDataString($"{repository.Owner}:{branch}");
        using HttpRequestMessage request = Request(HttpMethod.Get, $"repos/{repository.FullName}/pulls?head={head}&state=open&per_page=1", token);
        List<PullRequestDocument> open = await SendAsync<List<PullRequestDocument>>(request, "listing pull requests", cancellationToken).ConfigureAwait(false);
        return open.Count > 0 ? new PullRequest(open[0].Number, open[0].HtmlUrl) : null;
    }

    public async Task<PullRequest> CreateDraftPullRequestAsync(
        GitHubRepository repository, string branch, string baseBranch, string title, string body, string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        using HttpRequestMessage request = Request(HttpMethod.Post, $"repos/{repository.FullName}/pulls", token);
        request.Content = JsonContent.Create(new PullRequestRequest(title, branch, baseBranch, body, Draft: true));
        PullRequestDocument created = await SendAsync<PullRequestDocument>(request, "opening the draft pull request", cancellationToken).ConfigureAwait(false);
        return new PullRequest(created.Number, created.HtmlUrl);
    }

    private HttpRequestMessage Request(HttpMethod method, string path, string bearer)
    {
        Uri baseUri = new(options.Value.ApiUrl.TrimEnd('/') + "/");
        HttpRequestMessage request = new(method, new Uri(baseUri, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
        request.Headers.Add("X-GitHub-Api-Version", "2022-11-28");
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("coding-agent-api", "1"));
        return request;
    }

    private async Task<T> SendAsync<T>(HttpRequestMessage request, string what, CancellationToken cancellationToken)
    {
        HttpClient http = httpClients.CreateClient(HttpClientName);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException failure)
        {
            throw new PublishException($"GitHub could not be reached for {what}: {failure.Message}", failure);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new PublishException($"GitHub answered {(int)response.StatusCode} to {what}: {await ErrorTextAsync(response, cancellationToken).ConfigureAwait(false)}");
            }

            return await response.Content.ReadFromJsonAsync<T>(cancellationToken).ConfigureAwait(false)
                ?? throw new PublishException($"GitHub answered {what} with an empty document.");
        }
    }

    private static async Task<string> ErrorTextAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ErrorDocument? error = JsonSerializer.Deserialize<ErrorDocument>(text);
            string details = string.Join("; ", error?.Errors?.Select(e => e.Message ?? e.Code).OfType<string>() ?? []);
            return (error?.Message ?? "no message") + (details.Length > 0 ? $" ({details})" : string.Empty);
        }
        catch (JsonException)
        {
            return text.Length > 300 ? text[..300] : text;
        }
    }
}
