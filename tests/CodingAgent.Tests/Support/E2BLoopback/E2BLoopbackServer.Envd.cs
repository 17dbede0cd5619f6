using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace CodingAgent.Tests.Support.E2BLoopback;

/// <summary>
/// envd (docs/e2b.md §6): <c>process.Process</c> Start (server-streaming Connect-JSON envelopes), List and SendSignal (unary
/// JSON), <c>GET/POST /files</c> and <c>GET /health</c>; plus the proxy answers for a sandbox that is gone.
/// </summary>
public sealed partial class E2BLoopbackServer
{
    private const string EnvdPort = "49983";

    private async Task SandboxTrafficAsync(HttpContext context, string sandboxId, string port)
    {
        if (!sandboxes.TryGetValue(sandboxId, out LoopbackSandbox? sandbox) || !sandbox.IsAlive)
        {
            Record("proxy.gone", context, string.Empty, sandboxId);
            await WriteJsonAsync(context, StatusCodes.Status502BadGateway,
                new Dictionary<string, object> { ["sandboxId"] = sandboxId, ["message"] = "The sandbox was not found", ["code"] = 502 });
            return;
        }

        if (port != EnvdPort)
        {
            await ProxyAsync(context, sandbox, port);
            return;
        }

        string path = context.Request.Path.Value ?? string.Empty;
        if (path == "/health" && context.Request.Method == "GET")
        {
            Record("envd.health", context, string.Empty, sandboxId);
            if (Faults.Take("envd.health") is { } fault)
            {
                await ErrorAsync(context, fault);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        if (sandbox.EnvdAccessToken is { } token && context.Request.Headers["X-Access-Token"] != token)
        {
            Record("envd.unauthorized", context, string.Empty, sandboxId);
            await WriteJsonAsync(context, StatusCodes.Status401Unauthorized, new { code = 401, message = "unauthorized access, please retry with valid token" });
            return;
        }

        switch (context.Request.Method, path)
        {
            case ("POST", "/process.Process/Start"):
                await StartProcessAsync(context, sandbox);
                break;
            case ("POST", "/process.Process/List"):
                await ListProcessesAsync(context, sandbox);
                break;
            case ("POST", "/process.Process/SendSignal"):
                await SignalAsync(context, sandbox);
                break;
            case ("GET", "/files"):
                await ReadFileAsync(context, sandbox);
                break;
            case ("POST", "/files"):
                await WriteFileAsync(context, sandbox);
                break;
            default:
                Record("envd.unknown", context, string.Empty, sandboxId);
                await WriteJsonAsync(context, StatusCodes.Status404NotFound, new { code = "unimplemented", message = $"{path} is not served" });
                break;
        }
    }

    private async Task StartProcessAsync(HttpContext context, LoopbackSandbox sandbox)
    {
        if (context.Request.ContentType != "application/connect+json")
        {
            await WriteJsonAsync(context, StatusCodes.Status415UnsupportedMediaType, new { code = "unknown", message = "expected application/connect+json" });
            return;
        }

        byte[] frame = await ReadAllAsync(context.Request.Body, context.RequestAborted);
        uint length = BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(1, 4));
        string json = Encoding.UTF8.GetString(frame, 5, (int)length);
        Record("envd.start", context, json, sandbox.Id);

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/connect+json";
        if (Faults.Take("envd.start") is { } fault)
        {
            await WriteFrameAsync(context, 0x02, new JsonObject { ["error"] = new JsonObject { ["code"] = fault.ErrorCode ?? "unavailable", ["message"] = fault.Message } });
            return;
        }

        JsonNode request = JsonNode.Parse(json)!;
        JsonNode config = request["process"]!;
        string cwd = (string?)config["cwd"] ?? sandbox.Home;
        if (!Directory.Exists(cwd))
        {
            await WriteFrameAsync(context, 0x02, new JsonObject { ["error"] = new JsonObject { ["code"] = "invalid_argument", ["message"] = $"cwd '{cwd}' does not exist" } });
            return;
        }

        // envd's environment: PATH, HOME, USER, LOGNAME, then the sandbox's envVars, then the request's envs.
        Dictionary<string, string> env = new(StringComparer.Ordinal)
        {
            ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            ["HOME"] = sandbox.Home,
            ["USER"] = "user",
            ["LOGNAME"] = "user",
        };
        foreach ((string key, string value) in sandbox.EnvVars)
        {
            env[key] = value;
        }

        foreach ((string key, JsonNode? value) in config["envs"]?.AsObject() ?? [])
        {
            env[key] = (string?)value ?? string.Empty;
        }

        if (TemplateBinDirectory is { } bin)
        {
            env["PATH"] = bin + ":" + env["PATH"];
        }

        LoopbackProcess process = LoopbackProcess.Start(
            (string)config["cmd"]!, [.. (config["args"]?.AsArray() ?? []).Select(a => (string)a!)], env, cwd, (string?)request["tag"]);
        sandbox.Add(process);

        // Connect-Timeout-Ms is the process's lifetime: envd kills it when the deadline passes (docs/e2b.md §0.3).
        using CancellationTokenSource deadline = new();
        if (long.TryParse(context.Request.Headers["Connect-Timeout-Ms"], NumberStyles.None, CultureInfo.InvariantCulture, out long ms))
        {
            deadline.CancelAfter(TimeSpan.FromMilliseconds(ms));
        }

        using CancellationTokenSource streaming = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, deadline.Token);
        try
        {
            await WriteEventAsync(context, new JsonObject { ["start"] = new JsonObject { ["pid"] = process.Pid } });
            await WriteEventAsync(context, new JsonObject { ["keepalive"] = new JsonObject() });
            await foreach ((bool stderr, byte[] data) in process.Output.ReadAllAsync(streaming.Token))
            {
                await WriteEventAsync(context, new JsonObject { ["data"] = new JsonObject { [stderr ? "stderr" : "stdout"] = Convert.ToBase64String(data) } });
            }

            await process.Exited.WaitAsync(streaming.Token);
            JsonObject end = new() { ["exited"] = !process.KilledBySignal, ["status"] = process.KilledBySignal ? "signal: killed" : $"exit status {process.ExitCode}" };
            if (process.KilledBySignal || process.ExitCode != 0)
            {
                end["exitCode"] = process.KilledBySignal ? -1 : process.ExitCode;
                end["error"] = (string)end["status"]!;
            }

            await WriteEventAsync(context, new JsonObject { ["end"] = end });
            await WriteFrameAsync(context, 0x02, new JsonObject());
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
        {
            process.KillGroup();
            await WriteFrameAsync(context, 0x02, new JsonObject { ["error"] = new JsonObject { ["code"] = "deadline_exceeded", ["message"] = "context deadline exceeded" } });
        }
        catch (OperationCanceledException)
        {
            process.Detach(); // the client disconnected: the process keeps running, its output is no longer offered
        }
    }

    private async Task ListProcessesAsync(HttpContext context, LoopbackSandbox sandbox)
    {
        Record("envd.list", context, await BodyAsync(context), sandbox.Id);
        JsonArray processes = [];
        foreach (LoopbackProcess process in sandbox.Processes)
        {
            JsonObject info = new() { ["config"] = new JsonObject { ["cmd"] = "/bin/bash", ["args"] = new JsonArray(process.Command) }, ["pid"] = process.Pid };
            if (process.Tag is { } tag)
            {
                info["tag"] = tag;
            }

            processes.Add(info);
        }

        await WriteJsonAsync(context, StatusCodes.Status200OK, new JsonObject { ["processes"] = processes });
    }

    private async Task SignalAsync(HttpContext context, LoopbackSandbox sandbox)
    {
        string body = await BodyAsync(context);
        Record("envd.signal", context, body, sandbox.Id);
        JsonNode request = JsonNode.Parse(body)!;
        int pid = (int)request["process"]!["pid"]!;
        string signal = request["signal"]!.ToString();
        if (signal is not ("SIGNAL_SIGKILL" or "SIGNAL_SIGTERM" or "9" or "15"))
        {
            await WriteJsonAsync(context, StatusCodes.Status501NotImplemented, new { code = "unimplemented", message = $"signal {signal} is not supported" });
            return;
        }

        if (sandbox.Find(pid) is not { } process)
        {
            await WriteJsonAsync(context, StatusCodes.Status404NotFound, new { code = "not_found", message = $"process with pid {pid} not found" });
            return;
        }

        process.Signal(kill: signal is "SIGNAL_SIGKILL" or "9");
        await WriteJsonAsync(context, StatusCodes.Status200OK, new { });
    }

    private async Task ReadFileAsync(HttpContext context, LoopbackSandbox sandbox)
    {
        Record("envd.read", context, string.Empty, sandbox.Id);
        string path = Resolve(sandbox, context.Request.Query["path"].ToString());
        if (Directory.Exists(path))
        {
            await WriteJsonAsync(context, StatusCodes.Status400BadRequest, new { code = 400, message = $"path '{path}' is a directory" });
            return;
        }

        if (!File.Exists(path))
        {
            await WriteJsonAsync(context, StatusCodes.Status404NotFound, new { code = 404, message = $"file '{path}' not found" });
            return;
        }

        context.Response.ContentType = "application/octet-stream";
        await context.Response.Body.WriteAsync(await File.ReadAllBytesAsync(path, context.RequestAborted), context.RequestAborted);
    }

    private async Task WriteFileAsync(HttpContext context, LoopbackSandbox sandbox)
    {
        Record("envd.write", context, string.Empty, sandbox.Id);
        string path = Resolve(sandbox, context.Request.Query["path"].ToString());
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, await ReadAllAsync(context.Request.Body, context.RequestAborted), context.RequestAborted);
        await WriteJsonAsync(context, StatusCodes.Status200OK, new[] { new { path, name = Path.GetFileName(path), type = "file" } });
    }

    // envd resolves a relative path against the user's home.
    private static string Resolve(LoopbackSandbox sandbox, string path) =>
        path.StartsWith('/') ? path : Path.Combine(sandbox.Home, path.StartsWith("~/", StringComparison.Ordinal) ? path[2..] : path);

    private static Task WriteEventAsync(HttpContext context, JsonObject processEvent) =>
        WriteFrameAsync(context, 0x00, new JsonObject { ["event"] = processEvent });

    private static async Task WriteFrameAsync(HttpContext context, byte flags, JsonObject message)
    {
        byte[] payload = Encoding.UTF8.GetBytes(message.ToJsonString());
        byte[] frame = new byte[5 + payload.Length];
        frame[0] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(frame, 5);
        await context.Response.Body.WriteAsync(frame, context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    private static async Task<byte[]> ReadAllAsync(Stream body, CancellationToken cancellationToken)
    {
        using MemoryStream buffer = new();
        await body.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}
