using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace CodingAgent.Tests.Support.E2BLoopback;

/// <summary>The control plane (docs/e2b.md §2): create, connect, get, list, timeout, kill, with E2B's status codes.</summary>
public sealed partial class E2BLoopbackServer
{
    private async Task ControlPlaneAsync(HttpContext context)
    {
        string method = context.Request.Method;
        string[] path = (context.Request.Path.Value ?? string.Empty).Trim('/').Split('/');
        bool v2 = path.Length > 0 && path[0] == "v2";
        string[] rest = v2 ? path[1..] : path;
        string body = await BodyAsync(context);
        (string Operation, Func<Task> Handle)? route = (method, rest) switch
        {
            ("POST", ["sandboxes"]) => ("create", () => CreateAsync(context, body, v2)),
            ("GET", ["sandboxes"]) => ("list", () => ListAsync(context)),
            ("GET", ["sandboxes", var id]) when !v2 => ("get", () => GetAsync(context, id)),
            ("POST", ["sandboxes", var id, "connect"]) => ("connect", () => ConnectAsync(context, id, body, v2)),
            ("POST", ["sandboxes", var id, "timeout"]) when !v2 => ("timeout", () => SetTimeoutAsync(context, id, body)),
            ("DELETE", ["sandboxes", var id]) when !v2 => ("kill", () => KillAsync(context, id)),
            _ => null,
        };

        Record(route?.Operation ?? "unknown", context, body, rest.Length > 1 ? rest[1] : null);
        if (route is null || (v2 && !V2Routes))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound; // a route this E2B does not have: no error document
            return;
        }

        if (context.Request.Headers["X-API-Key"] != ApiKey)
        {
            await ErrorAsync(context, new LoopbackFault(401, "Invalid API key"));
            return;
        }

        if (Faults.Take(route.Value.Operation) is { } fault)
        {
            await FaultAsync(context, fault);
            return;
        }

        await route.Value.Handle();
    }

    private async Task CreateAsync(HttpContext context, string body, bool v2)
    {
        using JsonDocument document = JsonDocument.Parse(body);
        JsonElement request = document.RootElement;
        string? template = request.TryGetProperty("templateID", out JsonElement t) ? t.GetString() : null;
        if (string.IsNullOrEmpty(template))
        {
            await ErrorAsync(context, new LoopbackFault(400, "templateID is required"));
            return;
        }

        int timeout = request.TryGetProperty("timeout", out JsonElement s) ? s.GetInt32() : v2 ? 300 : 15;
        if (timeout <= 0 || timeout > MaxLifetime.TotalSeconds)
        {
            await ErrorAsync(context, new LoopbackFault(400, $"Timeout cannot be greater than {MaxLifetime.TotalHours.ToString(CultureInfo.InvariantCulture)} hours"));
            return;
        }

        bool secure = v2 || (request.TryGetProperty("secure", out JsonElement sec) && sec.GetBoolean());
        bool allowPublic = !(request.TryGetProperty("network", out JsonElement network)
            && network.TryGetProperty("allowPublicTraffic", out JsonElement publicTraffic) && !publicTraffic.GetBoolean());
        if (!allowPublic && !secure)
        {
            await ErrorAsync(context, new LoopbackFault(400, "allowPublicTraffic=false requires a secure sandbox"));
            return;
        }

        LoopbackSandbox sandbox = new(root, template, timeout, Strings(request, "metadata"), Strings(request, "envVars"), allowPublic, secure, Now);
        sandboxes[sandbox.Id] = sandbox;
        await WriteJsonAsync(context, StatusCodes.Status201Created, Created(sandbox));
    }

    private async Task ConnectAsync(HttpContext context, string id, string body, bool v2)
    {
        if (Live(id) is not { } sandbox)
        {
            await NotFoundAsync(context, id);
            return;
        }

        if (await InTransitionAsync(context, sandbox))
        {
            return;
        }

        using JsonDocument document = JsonDocument.Parse(body.Length == 0 ? "{}" : body);
        if (document.RootElement.TryGetProperty("timeout", out JsonElement timeout))
        {
            Extend(sandbox, timeout.GetInt32(), extendOnly: true);
        }
        else if (!v2)
        {
            await ErrorAsync(context, new LoopbackFault(400, "timeout is required"));
            return;
        }

        await WriteJsonAsync(context, StatusCodes.Status200OK, Created(sandbox));
    }

    private async Task GetAsync(HttpContext context, string id)
    {
        if (Live(id) is not { } sandbox)
        {
            await NotFoundAsync(context, id);
            return;
        }

        await WriteJsonAsync(context, StatusCodes.Status200OK, Listed(sandbox));
    }

    private async Task ListAsync(HttpContext context)
    {
        // As E2B's server (docs/e2b.md §2.3): the query string is URL-decoded, parseFilters decodes the whole value once more,
        // splits it on '&' and '=', and decodes each key and value a third time.
        Dictionary<string, string> filter = [];
        string encoded = Uri.UnescapeDataString(context.Request.Query["metadata"].ToString());
        foreach (string pair in encoded.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] kv = pair.Split('=', 2);
            filter[Uri.UnescapeDataString(kv[0])] = kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : string.Empty;
        }

        int limit = int.TryParse(context.Request.Query["limit"], CultureInfo.InvariantCulture, out int l) ? Math.Clamp(l, 1, 100) : 100;
        int offset = int.TryParse(context.Request.Query["nextToken"], CultureInfo.InvariantCulture, out int o) ? o : 0;
        List<LoopbackSandbox> matching = [.. sandboxes.Values
            .Where(s => s.IsAlive && filter.All(f => s.Metadata.TryGetValue(f.Key, out string? v) && v == f.Value))
            .OrderByDescending(s => s.StartedAt)];
        List<LoopbackSandbox> page = [.. matching.Skip(offset).Take(limit)];
        if (offset + page.Count < matching.Count)
        {
            context.Response.Headers["X-Next-Token"] = (offset + page.Count).ToString(CultureInfo.InvariantCulture);
        }

        context.Response.Headers["X-Total-Running"] = matching.Count.ToString(CultureInfo.InvariantCulture);
        await WriteJsonAsync(context, StatusCodes.Status200OK, page.Select(Listed).ToList());
    }

    private async Task SetTimeoutAsync(HttpContext context, string id, string body)
    {
        if (Live(id) is not { } sandbox)
        {
            await NotFoundAsync(context, id);
            return;
        }

        if (await InTransitionAsync(context, sandbox))
        {
            return;
        }

        if (Now >= sandbox.StartedAt + MaxLifetime)
        {
            await ErrorAsync(context, new LoopbackFault(400, "Max instance length exceeded"));
            return;
        }

        using JsonDocument document = JsonDocument.Parse(body);
        Extend(sandbox, document.RootElement.GetProperty("timeout").GetInt32(), extendOnly: false);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private async Task KillAsync(HttpContext context, string id)
    {
        if (Live(id) is not { } sandbox)
        {
            await NotFoundAsync(context, id);
            return;
        }

        if (await InTransitionAsync(context, sandbox))
        {
            return;
        }

        if (!sandbox.Kill())
        {
            await NotFoundAsync(context, id);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>endAt = now + timeout, quietly clamped to the plan's maximum counted from the sandbox's start.</summary>
    private void Extend(LoopbackSandbox sandbox, int seconds, bool extendOnly)
    {
        DateTimeOffset wanted = Now.AddSeconds(seconds);
        DateTimeOffset latest = sandbox.StartedAt + MaxLifetime;
        DateTimeOffset end = wanted < latest ? wanted : latest;
        if (!extendOnly || end > sandbox.EndAt)
        {
            sandbox.EndAt = end;
        }
    }

    private static async Task<bool> InTransitionAsync(HttpContext context, LoopbackSandbox sandbox)
    {
        if (sandbox.Transition is not { } transition)
        {
            return false;
        }

        await ErrorAsync(context, new LoopbackFault(409, $"Sandbox \"{sandbox.Id}\" is being {transition}"));
        return true;
    }

    private static async Task FaultAsync(HttpContext context, LoopbackFault fault)
    {
        switch (fault.Kind)
        {
            case LoopbackFaultKind.Hang:
                try
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    // the caller gave up, as it should
                }

                break;
            case LoopbackFaultKind.DropConnection:
                context.Abort();
                break;
            default:
                await ErrorAsync(context, fault);
                break;
        }
    }

    private LoopbackSandbox? Live(string id) => sandboxes.TryGetValue(id, out LoopbackSandbox? sandbox) && sandbox.IsAlive ? sandbox : null;

    private static Task NotFoundAsync(HttpContext context, string id) =>
        ErrorAsync(context, new LoopbackFault(404, $"Sandbox \"{id}\" doesn't exist or you don't have access to it"));

    private object Created(LoopbackSandbox sandbox) => new Dictionary<string, object?>
    {
        ["templateID"] = sandbox.TemplateId,
        ["sandboxID"] = sandbox.Id,
        ["clientID"] = "loopback",
        ["envdVersion"] = EnvdVersion,
        ["envdAccessToken"] = sandbox.EnvdAccessToken,
        ["trafficAccessToken"] = sandbox.TrafficAccessToken,
        ["domain"] = null,
    };

    private object Listed(LoopbackSandbox sandbox) => new Dictionary<string, object?>
    {
        ["templateID"] = sandbox.TemplateId,
        ["sandboxID"] = sandbox.Id,
        ["clientID"] = "loopback",
        ["startedAt"] = sandbox.StartedAt,
        ["endAt"] = sandbox.EndAt,
        ["cpuCount"] = 2,
        ["memoryMB"] = 1024,
        ["diskSizeMB"] = 10240,
        ["envdVersion"] = EnvdVersion,
        ["state"] = "running",
        ["metadata"] = sandbox.Metadata,
    };

    private static Dictionary<string, string> Strings(JsonElement request, string name) =>
        request.TryGetProperty(name, out JsonElement map) && map.ValueKind == JsonValueKind.Object
            ? map.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty, StringComparer.Ordinal)
            : [];
}
