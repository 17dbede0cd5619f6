using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CodingAgent.Tests.Support.GitHubLoopback;

/// <summary>
/// A loopback stand-in for a GitHub (Enterprise) server: the REST API under <c>/api/v3</c> for what publishing calls (App
/// installation lookup and tokens, the repository, pull requests), and git's smart HTTP for <c>/{owner}/{name}.git</c>
/// served by the real <c>git http-backend</c> over bare repositories of this machine. Like a private GitHub repository,
/// git needs an installation token for both fetch and push; the App's JWT is checked against its public key.
/// </summary>
public sealed partial class GitHubLoopbackServer : IAsyncDisposable
{
    public const long InstallationId = 4242;
    public const string AppId = "98765";

    private readonly WebApplication app;
    private readonly RSA appKey = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, IssuedToken> issuedTokens = new(StringComparer.Ordinal);
    private int allRequests;
    private readonly ConcurrentQueue<GitHubRequest> requests = new();
    private readonly List<CreatedPullRequest> pullRequests = [];
    private readonly Lock gate = new();

    private GitHubLoopbackServer(WebApplication app)
    {
        this.app = app;
    }

    /// <summary>Bare repositories, one per <c>{owner}/{name}.git</c>.</summary>
    public string RepositoriesRoot { get; } = Directory.CreateTempSubdirectory("github-loopback-").FullName;

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The REST API base, as <c>CodingAgent__GitHub__ApiUrl</c> takes it.</summary>
    public string ApiUrl => BaseUrl + "api/v3";

    /// <summary>The App's private key (PEM), as <c>CodingAgent__GitHub__AppPrivateKey</c> takes it.</summary>
    public string AppPrivateKeyPem => appKey.ExportPkcs8PrivateKeyPem();

    public IReadOnlyList<GitHubRequest> Requests => [.. requests];

    public IReadOnlyCollection<string> IssuedTokens => [.. issuedTokens.Keys];

    /// <summary>The bodies of the installation token requests, in order (<c>repositories</c>, <c>permissions</c>).</summary>
    public IReadOnlyList<System.Text.Json.Nodes.JsonNode> TokenRequests =>
        [.. Requests.Where(r => r.Method == "POST" && r.PathAndQuery.EndsWith("/access_tokens", StringComparison.Ordinal))
            .Select(r => System.Text.Json.Nodes.JsonNode.Parse(r.Body)!)];

    /// <summary>Every HTTP request this server received, on any path, answered or not.</summary>
    public int AllRequestCount => Volatile.Read(ref allRequests);

    public IReadOnlyList<CreatedPullRequest> PullRequests
    {
        get
        {
            lock (gate)
            {
                return [.. pullRequests];
            }
        }
    }

    public static async Task<GitHubLoopbackServer> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(options => options.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();
        GitHubLoopbackServer server = new(app);
        app.Use(async (context, next) =>
        {
            Interlocked.Increment(ref server.allRequests);
            await next(context);
        });
        server.MapApi(app);
        app.Map("/{owner}/{repository}.git/{**rest}", server.ServeGitAsync);
        await app.StartAsync();
        server.BaseUrl = new Uri(app.Urls.First().TrimEnd('/') + "/");
        return server;
    }

    /// <summary>A bare repository <c>{owner}/{name}.git</c> holding <paramref name="source"/>'s branches.</summary>
    public string AddRepository(string owner, string name, TestRepository source)
    {
        ArgumentNullException.ThrowIfNull(source);
        string path = Path.Combine(RepositoriesRoot, owner, name + ".git");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        source.Git("clone", "--quiet", "--bare", source.Path, path);
        return path;
    }

    private bool IsIssuedToken(string? token, bool write = false) =>
        token is not null && issuedTokens.TryGetValue(token, out IssuedToken? issued) && issued.ExpiresAt > TimeProvider.System.GetUtcNow() && (!write || issued.CanWrite);

    private void Record(HttpContext context, string body) =>
        requests.Enqueue(new GitHubRequest(context.Request.Method, context.Request.Path + context.Request.QueryString,
            context.Request.Headers.Authorization.ToString(), body));

    private static string NewToken() => "ghs_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(18)).ToLowerInvariant();

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        appKey.Dispose();
        Directory.Delete(RepositoriesRoot, recursive: true);
    }
}

/// <summary>An installation token and whether its request asked for <c>contents: write</c> (git push, pull requests).</summary>
internal sealed record IssuedToken(DateTimeOffset ExpiresAt, bool CanWrite);

public sealed record GitHubRequest(string Method, string PathAndQuery, string Authorization, string Body);

public sealed record CreatedPullRequest(int Number, string Owner, string Repository, string Title, string Head, string Base, string Body, bool Draft);
