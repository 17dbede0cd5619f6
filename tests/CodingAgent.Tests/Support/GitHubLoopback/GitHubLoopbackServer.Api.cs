using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CodingAgent.Tests.Support.GitHubLoopback;

// The REST routes, with GitHub's status codes and documents: 401 "Bad credentials", 404 "Not Found", 422 "Validation Failed".
public sealed partial class GitHubLoopbackServer
{
    private void MapApi(WebApplication web)
    {
        web.MapGet("/api/v3/repos/{owner}/{repository}/installation", (HttpContext context, string owner, string repository) =>
            Guard(context, appAuth: true, () => Exists(owner, repository)
                ? Results.Json(new { id = InstallationId, app_id = int.Parse(AppId, CultureInfo.InvariantCulture), account = new { login = owner } })
                : NotFound()));

        web.MapPost("/api/v3/app/installations/{id}/access_tokens", async (HttpContext context, long id) =>
        {
            string body = await ReadAsync(context);
            return Guard(context, appAuth: true, () =>
            {
                if (id != InstallationId)
                {
                    return NotFound();
                }

                // As on GitHub: no permissions asked for is all the App has (here: contents and pull requests write).
                JsonNode? permissions = body.Length > 0 ? JsonNode.Parse(body)?["permissions"] : null;
                string contents = (string?)permissions?["contents"] ?? (permissions is null ? "write" : "none");
                string pulls = (string?)permissions?["pull_requests"] ?? (permissions is null ? "write" : "none");
                string token = NewToken();
                DateTimeOffset expires = TimeProvider.System.GetUtcNow().AddHours(1);
                issuedTokens[token] = new IssuedToken(expires, contents == "write" && pulls == "write");
                return Results.Json(new { token, expires_at = expires.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), permissions = new { contents, pull_requests = pulls } },
                    statusCode: StatusCodes.Status201Created);
            }, body);
        });

        web.MapGet("/api/v3/repos/{owner}/{repository}", (HttpContext context, string owner, string repository) =>
            Guard(context, appAuth: false, () => Exists(owner, repository)
                ? Results.Json(new { full_name = $"{owner}/{repository}", default_branch = "main", @private = true })
                : NotFound()));

        web.MapGet("/api/v3/repos/{owner}/{repository}/pulls", (HttpContext context, string owner, string repository) =>
            Guard(context, appAuth: false, () =>
            {
                string? head = context.Request.Query["head"];
                lock (gate)
                {
                    return Results.Json(pullRequests.Where(p => p.Owner == owner && p.Repository == repository && (head is null || $"{owner}:{p.Head}" == head))
                        .Select(p => Document(p)).ToList());
                }
            }));

        web.MapPost("/api/v3/repos/{owner}/{repository}/pulls", async (HttpContext context, string owner, string repository) =>
        {
            string body = await ReadAsync(context);
            return Guard(context, appAuth: false, () => CreatePullRequest(owner, repository, body), body, write: true);
        });
    }

    private IResult CreatePullRequest(string owner, string repository, string body)
    {
        if (!Exists(owner, repository))
        {
            return NotFound();
        }

        JsonNode request = JsonNode.Parse(body)!;
        string? title = (string?)request["title"], head = (string?)request["head"], baseBranch = (string?)request["base"];
        if (string.IsNullOrEmpty(title) || string.IsNullOrEmpty(head) || string.IsNullOrEmpty(baseBranch))
        {
            return Invalid("title, head and base are required");
        }

        string bare = Path.Combine(RepositoriesRoot, owner, repository + ".git");
        if (!BranchExists(bare, head))
        {
            return Invalid($"head: {head} does not exist");
        }

        lock (gate)
        {
            if (pullRequests.Any(p => p.Owner == owner && p.Repository == repository && p.Head == head))
            {
                return Invalid($"A pull request already exists for {owner}:{head}.");
            }

            CreatedPullRequest created = new(pullRequests.Count + 1, owner, repository, title, head, baseBranch, (string?)request["body"] ?? string.Empty,
                (bool?)request["draft"] ?? false);
            pullRequests.Add(created);
            return Results.Json(Document(created), statusCode: StatusCodes.Status201Created);
        }
    }

    private object Document(CreatedPullRequest pull) => new
    {
        number = pull.Number,
        html_url = $"{BaseUrl}{pull.Owner}/{pull.Repository}/pull/{pull.Number}",
        state = "open",
        draft = pull.Draft,
        title = pull.Title,
        head = new { @ref = pull.Head },
        @base = new { @ref = pull.Base },
    };

    /// <summary>Checks the bearer (the App's JWT, or an installation token) before answering, and records the request.</summary>
    private IResult Guard(HttpContext context, bool appAuth, Func<IResult> answer, string body = "", bool write = false)
    {
        Record(context, body);
        string authorization = context.Request.Headers.Authorization.ToString();
        string? bearer = authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization["Bearer ".Length..] : null;
        bool valid = appAuth ? IsAppJwt(bearer) : IsIssuedToken(bearer, write);
        if (!valid || context.Request.Headers["X-GitHub-Api-Version"] != "2022-11-28")
        {
            return Results.Json(new { message = "Bad credentials", documentation_url = "https://docs.github.com/rest" }, statusCode: StatusCodes.Status401Unauthorized);
        }

        return answer();
    }

    private bool IsAppJwt(string? jwt)
    {
        string[] parts = jwt?.Split('.') ?? [];
        if (parts.Length != 3 || !appKey.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), FromBase64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
        {
            return false;
        }

        using JsonDocument payload = JsonDocument.Parse(FromBase64Url(parts[1]));
        long now = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        return payload.RootElement.GetProperty("iss").GetString() == AppId
            && payload.RootElement.GetProperty("iat").GetInt64() <= now
            && payload.RootElement.GetProperty("exp").GetInt64() > now
            && payload.RootElement.GetProperty("exp").GetInt64() - payload.RootElement.GetProperty("iat").GetInt64() <= 600;
    }

    private bool Exists(string owner, string repository) => Directory.Exists(Path.Combine(RepositoriesRoot, owner, repository + ".git"));

    private static bool BranchExists(string bare, string branch)
    {
        using System.Diagnostics.Process git = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("git", ["-C", bare, "show-ref", "--verify", "--quiet", "refs/heads/" + branch]))!;
        git.WaitForExit();
        return git.ExitCode == 0;
    }

    private static IResult NotFound() => Results.Json(new { message = "Not Found" }, statusCode: StatusCodes.Status404NotFound);

    private static IResult Invalid(string message) =>
        Results.Json(new { message = "Validation Failed", errors = new[] { new { resource = "PullRequest", code = "custom", message } } },
            statusCode: StatusCodes.Status422UnprocessableEntity);

    private static async Task<string> ReadAsync(HttpContext context)
    {
        using StreamReader reader = new(context.Request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    private static byte[] FromBase64Url(string part)
    {
        string padded = part.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '='));
    }
}
