using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace CodingAgent.Tests.Support.GitHubLoopback;

// git's smart HTTP through the real `git http-backend` (CGI): a private repository, so fetch and push both need Basic auth
// with an installation token as the password, as on GitHub (user name x-access-token); a push needs a token that can write.
public sealed partial class GitHubLoopbackServer
{
    /// <summary>Every git request's user name and whether its password was a token this server issued.</summary>
    public IReadOnlyList<(string Service, string? User, bool TokenValid)> GitRequests => [.. gitRequests];

    private readonly System.Collections.Concurrent.ConcurrentQueue<(string Service, string? User, bool TokenValid)> gitRequests = new();

    private async Task ServeGitAsync(HttpContext context)
    {
        string service = context.Request.Query["service"].ToString() is { Length: > 0 } advertised ? advertised : context.Request.Path.Value!.Split('/')[^1];
        (string? user, string? password) = BasicCredentials(context.Request.Headers.Authorization.ToString());
        bool valid = IsIssuedToken(password, write: service == "git-receive-pack");
        gitRequests.Enqueue((service, user, valid));
        if (!valid)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"GitHub\"";
            return;
        }

        ProcessStartInfo info = new(Path.Combine(GitExecPath(), "git-http-backend"))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["GIT_PROJECT_ROOT"] = RepositoriesRoot;
        info.Environment["GIT_HTTP_EXPORT_ALL"] = "1";
        info.Environment["PATH_INFO"] = context.Request.Path.Value;
        info.Environment["REQUEST_METHOD"] = context.Request.Method;
        info.Environment["QUERY_STRING"] = context.Request.QueryString.Value?.TrimStart('?') ?? string.Empty;
        info.Environment["CONTENT_TYPE"] = context.Request.ContentType ?? string.Empty;
        info.Environment["REMOTE_USER"] = user ?? "x-access-token"; // receive-pack is only served to an authenticated user
        info.Environment["REMOTE_ADDR"] = "127.0.0.1";
        if (context.Request.Headers.ContentEncoding.ToString() is { Length: > 0 } encoding)
        {
            info.Environment["HTTP_CONTENT_ENCODING"] = encoding;
        }

        if (context.Request.Headers["Git-Protocol"].ToString() is { Length: > 0 } protocol)
        {
            info.Environment["GIT_PROTOCOL"] = protocol;
        }

        using Process cgi = Process.Start(info)!;
        Task stderr = cgi.StandardError.ReadToEndAsync();
        Task input = CopyAndCloseAsync(context.Request.Body, cgi.StandardInput.BaseStream);
        Stream output = cgi.StandardOutput.BaseStream;
        foreach (string header in await ReadCgiHeadersAsync(output))
        {
            int colon = header.IndexOf(':', StringComparison.Ordinal);
            string name = header[..colon].Trim(), value = header[(colon + 1)..].Trim();
            if (name.Equals("Status", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.StatusCode = int.Parse(value.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            }
            else
            {
                context.Response.Headers[name] = value;
            }
        }

        await output.CopyToAsync(context.Response.Body);
        await input;
        await stderr;
        await cgi.WaitForExitAsync();
    }

    private static async Task CopyAndCloseAsync(Stream from, Stream to)
    {
        await from.CopyToAsync(to);
        to.Close();
    }

    /// <summary>CGI headers end at an empty line; read byte by byte so the body that follows stays in the stream.</summary>
    private static async Task<List<string>> ReadCgiHeadersAsync(Stream output)
    {
        List<string> headers = [];
        StringBuilder line = new();
        byte[] one = new byte[1];
        while (await output.ReadAsync(one) == 1)
        {
            if (one[0] == '\n')
            {
                string text = line.ToString().TrimEnd('\r');
                if (text.Length == 0)
                {
                    break;
                }

                headers.Add(text);
                line.Clear();
            }
            else
            {
                line.Append((char)one[0]);
            }
        }

        return headers;
    }

    private static (string? User, string? Password) BasicCredentials(string authorization)
    {
        if (!authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return (null, null);
        }

        string decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim()));
        int colon = decoded.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (decoded, null) : (decoded[..colon], decoded[(colon + 1)..]);
    }

    private static string GitExecPath()
    {
        using Process git = Process.Start(new ProcessStartInfo("git", "--exec-path") { RedirectStandardOutput = true })!;
        string path = git.StandardOutput.ReadToEnd().Trim();
        git.WaitForExit();
        return path;
    }
}
