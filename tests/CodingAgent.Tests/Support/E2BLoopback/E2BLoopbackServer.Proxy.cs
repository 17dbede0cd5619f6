using System.Net.Sockets;
using Microsoft.AspNetCore.Http;

namespace CodingAgent.Tests.Support.E2BLoopback;

/// <summary>
/// The port proxy (docs/e2b.md §7): forwards a request to a listener inside the sandbox (here: 127.0.0.1), streaming both ways,
/// so SSE works; 403 without the traffic token when the sandbox is private; 502 when nothing listens on the port.
/// A queued <c>proxy</c> fault is answered in the proxy's own JSON shape instead of forwarding (e.g. 502 "port is not
/// open" while envd's forwarder has not seen the listener yet, or a 429/503).
/// </summary>
public sealed partial class E2BLoopbackServer
{
    private static readonly HashSet<string> NotForwarded = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Transfer-Encoding", "Keep-Alive", "Upgrade", "E2b-Sandbox-Id", "E2b-Sandbox-Port", "e2b-traffic-access-token",
    };

    public const string PortNotOpen = "The sandbox is running but port is not open";

    private async Task ProxyAsync(HttpContext context, LoopbackSandbox sandbox, string port)
    {
        Record("proxy", context, string.Empty, sandbox.Id);
        if (!sandbox.AllowPublicTraffic && context.Request.Headers["e2b-traffic-access-token"] != sandbox.TrafficAccessToken)
        {
            await WriteJsonAsync(context, StatusCodes.Status403Forbidden, new { code = 403, message = "missing or invalid traffic access token" });
            return;
        }

        if (Faults.Take("proxy") is { } fault)
        {
            if (fault.RetryAfterSeconds is { } seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            await WriteJsonAsync(context, fault.Status, ProxyError(sandbox.Id, fault.Message, port, fault.Status));
            return;
        }

        using HttpRequestMessage forward = new(new HttpMethod(context.Request.Method), $"http://127.0.0.1:{port}{context.Request.Path}{context.Request.QueryString}");
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            forward.Content = new StreamContent(context.Request.Body);
        }

        foreach ((string name, Microsoft.Extensions.Primitives.StringValues values) in context.Request.Headers)
        {
            if (NotForwarded.Contains(name))
            {
                continue;
            }

            if (!forward.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values!))
            {
                forward.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values!);
            }
        }

        HttpResponseMessage answer;
        try
        {
            answer = await proxyClient.SendAsync(forward, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        }
        catch (HttpRequestException ex) when (ex.InnerException is SocketException)
        {
            await WriteJsonAsync(context, StatusCodes.Status502BadGateway, ProxyError(sandbox.Id, PortNotOpen, port, 502));
            return;
        }

        using (answer)
        {
            context.Response.StatusCode = (int)answer.StatusCode;
            foreach ((string name, IEnumerable<string> values) in answer.Headers.Concat(answer.Content.Headers))
            {
                if (!NotForwarded.Contains(name))
                {
                    context.Response.Headers[name] = values.ToArray();
                }
            }

            await using Stream body = await answer.Content.ReadAsStreamAsync(context.RequestAborted);
            byte[] buffer = new byte[16 * 1024];
            int read;
            try
            {
                while ((read = await body.ReadAsync(buffer, context.RequestAborted)) > 0)
                {
                    await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException)
            {
                // the caller went away, or the sandbox (and its listener) died mid-stream: the connection simply ends
            }
        }
    }

    private static Dictionary<string, object> ProxyError(string sandboxId, string message, string port, int status) => new()
    {
        ["sandboxId"] = sandboxId, ["message"] = message, ["port"] = int.Parse(port, System.Globalization.CultureInfo.InvariantCulture), ["code"] = status,
    };
}
