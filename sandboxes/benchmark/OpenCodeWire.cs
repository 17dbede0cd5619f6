using System.Text.Json.Nodes;

namespace CodingAgent.Sandboxes.Benchmark;

/// <summary>
/// OpenCode 1.18.33's JSON shapes, as the real server sends them (docs/opencode.md §3, §4).
/// Every call builds fresh nodes, so a result can be put into one parent.
/// </summary>
internal static class OpenCodeWire
{
    public const string Version = "1.18.33";
    public const string ProviderId = "codingagent";
    public const string ModelId = "benchmark";
    private const string Agent = "build";

    public static JsonObject Session(string id, string directory, string title, long created) => new()
    {
        ["id"] = id,
        ["slug"] = "benchmark-session",
        ["version"] = Version,
        ["projectID"] = "benchmark",
        ["directory"] = directory,
        ["title"] = title,
        ["time"] = new JsonObject { ["created"] = created, ["updated"] = created },
    };

    public static JsonObject UserInfo(string id, string sessionId, long created) => new()
    {
        ["id"] = id,
        ["role"] = "user",
        ["sessionID"] = sessionId,
        ["time"] = new JsonObject { ["created"] = created },
        ["agent"] = Agent,
        ["model"] = new JsonObject { ["providerID"] = ProviderId, ["modelID"] = ModelId },
    };

    /// <summary>A user's text part: no <c>time</c>, unlike an assistant's finished text.</summary>
    public static JsonObject UserText(string id, string messageId, string sessionId, string text) => new()
    {
        ["type"] = "text",
        ["text"] = text,
        ["messageID"] = messageId,
        ["sessionID"] = sessionId,
        ["id"] = id,
    };

    /// <summary>An assistant message; <paramref name="completed"/> null while its step runs.</summary>
    public static JsonObject AssistantInfo(string id, string parentId, string sessionId, string directory, long created, long? completed, Tokens tokens)
    {
        JsonObject time = new() { ["created"] = created };
        JsonObject info = new()
        {
            ["id"] = id,
            ["parentID"] = parentId,
            ["role"] = "assistant",
            ["mode"] = Agent,
            ["agent"] = Agent,
            ["path"] = new JsonObject { ["cwd"] = directory, ["root"] = directory },
            ["cost"] = 0,
            ["tokens"] = TokensOf(tokens),
            ["modelID"] = ModelId,
            ["providerID"] = ProviderId,
            ["time"] = time,
            ["sessionID"] = sessionId,
        };
        if (completed is { } done)
        {
            time["completed"] = done;
            info["finish"] = "stop";
        }

        return info;
    }

    public static JsonObject StepStart(string id, string messageId, string sessionId) => new()
    {
        ["id"] = id,
        ["messageID"] = messageId,
        ["sessionID"] = sessionId,
        ["type"] = "step-start",
    };

    public static JsonObject AssistantText(string id, string messageId, string sessionId, string text, long start, long end) => new()
    {
        ["id"] = id,
        ["messageID"] = messageId,
        ["sessionID"] = sessionId,
        ["type"] = "text",
        ["text"] = text,
        ["time"] = new JsonObject { ["start"] = start, ["end"] = end },
    };

    public static JsonObject StepFinish(string id, string messageId, string sessionId, Tokens tokens) => new()
    {
        ["id"] = id,
        ["reason"] = "stop",
        ["messageID"] = messageId,
        ["sessionID"] = sessionId,
        ["type"] = "step-finish",
        ["tokens"] = TokensOf(tokens),
        ["cost"] = 0,
    };

    /// <summary>One entry of <c>GET /session/{id}/message</c>.</summary>
    public static string Message(JsonObject info, IEnumerable<JsonObject> parts) =>
        new JsonObject { ["info"] = info, ["parts"] = new JsonArray([.. parts]) }.ToJsonString();

    /// <summary>One <c>/event</c> frame's JSON (what follows <c>data: </c>).</summary>
    public static string Event(string type, JsonObject properties, long now) =>
        new JsonObject { ["id"] = OpenCodeIdSource.Next("evt", now), ["type"] = type, ["properties"] = properties }.ToJsonString();

    public static string NotFound(string message) =>
        new JsonObject { ["name"] = "NotFoundError", ["data"] = new JsonObject { ["message"] = message } }.ToJsonString();

    private static JsonObject TokensOf(Tokens tokens) => new()
    {
        ["total"] = tokens.Input + tokens.Output,
        ["input"] = tokens.Input,
        ["output"] = tokens.Output,
        ["reasoning"] = 0,
        ["cache"] = new JsonObject { ["write"] = 0, ["read"] = 0 },
    };

    public readonly record struct Tokens(long Input, long Output);
}
