using System.Globalization;
using System.Text.Json;
using CodingAgent.Model;

namespace CodingAgent.Agent;

/// <summary>
/// Turns OpenCode's SSE events (docs/opencode.md §4) into the run's own event types. Each draft carries a key that is
/// stable across the live stream and the reconciliation read, so an event is never logged twice.
/// </summary>
public sealed class OpenCodeEventMapper(string sessionId, string repositoryPath, int turn)
{
    private const int MaxTextLength = 16_000;
    private const int MaxToolFieldLength = 2_000;
    private readonly Dictionary<string, int> occurrences = new(StringComparer.Ordinal);

    private bool sawBusy;

    /// <summary>
    /// True once the session went idle after having been busy for this turn: a stray idle (OpenCode can send a second
    /// one after an abort) before the turn started does not end it.
    /// </summary>
    public bool SessionIdle { get; private set; }

    /// <summary>
    /// Counts events that may mean a run on the session stopped (idle, idle status, error). They are hints to read the
    /// session's state, not proof: another run's stray idle looks the same (architecture.md, "Posting a prompt").
    /// </summary>
    public int StopSignals { get; private set; }

    public IEnumerable<RunEventDraft> Map(JsonElement envelope)
    {
        if (!envelope.TryGetProperty("type", out JsonElement typeElement) || !envelope.TryGetProperty("properties", out JsonElement properties))
        {
            yield break;
        }

        string? type = typeElement.GetString();
        if (type == "file.edited")
        {
            // file.edited carries no session id; one OpenCode server serves exactly one run's session here.
            string file = RelativePath(properties.GetProperty("file").GetString() ?? string.Empty);
            yield return new RunEventDraft(turn, RunEventTypes.AgentFile, $"file:{file}:{Next("file:" + file)}", new { path = file });
            yield break;
        }

        if (!properties.TryGetProperty("sessionID", out JsonElement session) || session.GetString() != sessionId)
        {
            yield break;
        }

        switch (type)
        {
            case "message.part.updated":
                if (MapPart(properties.GetProperty("part")) is { } draft)
                {
                    yield return draft;
                }

                break;
            case "session.error":
                JsonElement error = properties.TryGetProperty("error", out JsonElement e) ? e : default;
                string name = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("name", out JsonElement n) ? n.GetString() ?? "Error" : "Error";
                StopSignals++;
                yield return new RunEventDraft(turn, RunEventTypes.AgentError, $"error:{name}:{Next("error:" + name)}", new { name, message = ErrorMessage(error) });
                break;
            case "session.idle":
                StopSignals++;
                SessionIdle = sawBusy;
                break;
            case "session.status":
                if (properties.TryGetProperty("status", out JsonElement status) && status.TryGetProperty("type", out JsonElement st))
                {
                    sawBusy |= st.GetString() == "busy";
                    SessionIdle = sawBusy && st.GetString() == "idle";
                    StopSignals += st.GetString() == "idle" ? 1 : 0;
                }

                break;
        }
    }

    /// <summary>Maps a message part (from an event or from the message list); null for parts the log does not record.</summary>
    public RunEventDraft? MapPart(JsonElement part)
    {
        string partType = part.TryGetProperty("type", out JsonElement t) ? t.GetString() ?? string.Empty : string.Empty;
        string partId = part.TryGetProperty("id", out JsonElement id) ? id.GetString() ?? string.Empty : string.Empty;
        string messageId = part.TryGetProperty("messageID", out JsonElement m) ? m.GetString() ?? string.Empty : string.Empty;
        switch (partType)
        {
            case "text" when part.TryGetProperty("time", out JsonElement time) && time.TryGetProperty("end", out _):
                string text = part.GetProperty("text").GetString() ?? string.Empty;
                return new RunEventDraft(turn, RunEventTypes.AgentText, "text:" + partId, new { messageId, partId, text = Clip(text, MaxTextLength) });
            case "tool":
                return MapTool(part);
            case "step-finish":
                return new RunEventDraft(turn, RunEventTypes.AgentStep, "step:" + partId, new
                {
                    messageId,
                    reason = part.TryGetProperty("reason", out JsonElement r) ? r.GetString() : null,
                    tokens = TokensOf(part),
                    cost = part.TryGetProperty("cost", out JsonElement c) && c.ValueKind == JsonValueKind.Number ? c.GetDecimal() : 0m,
                });
            default:
                return null;
        }
    }

    private RunEventDraft? MapTool(JsonElement part)
    {
        JsonElement state = part.GetProperty("state");
        string status = state.TryGetProperty("status", out JsonElement s) ? s.GetString() ?? string.Empty : string.Empty;
        if (status is not ("running" or "completed" or "error"))
        {
            return null;
        }

        string callId = part.TryGetProperty("callID", out JsonElement c) ? c.GetString() ?? string.Empty : string.Empty;
        return new RunEventDraft(turn, RunEventTypes.AgentTool, $"tool:{callId}:{status}", new
        {
            callId,
            tool = part.TryGetProperty("tool", out JsonElement tool) ? tool.GetString() : null,
            status,
            title = state.TryGetProperty("title", out JsonElement title) ? title.GetString() : null,
            input = state.TryGetProperty("input", out JsonElement input) ? Clip(input.GetRawText(), MaxToolFieldLength) : null,
            output = status == "completed" && state.TryGetProperty("output", out JsonElement output) ? Clip(output.GetString() ?? string.Empty, MaxToolFieldLength) : null,
            error = status == "error" && state.TryGetProperty("error", out JsonElement error) ? Clip(error.GetString() ?? string.Empty, MaxToolFieldLength) : null,
        });
    }

    public static object TokensOf(JsonElement carrier) =>
        carrier.TryGetProperty("tokens", out JsonElement tokens) && tokens.ValueKind == JsonValueKind.Object
            ? new { input = Number(tokens, "input"), output = Number(tokens, "output") }
            : new { input = 0L, output = 0L };

    public static long Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;

    public static string ErrorMessage(JsonElement error)
    {
        if (error.ValueKind != JsonValueKind.Object)
        {
            return "The agent reported an error.";
        }

        if (error.TryGetProperty("data", out JsonElement data) && data.ValueKind == JsonValueKind.Object
            && data.TryGetProperty("message", out JsonElement message) && message.GetString() is { Length: > 0 } text)
        {
            return Clip(text, MaxToolFieldLength);
        }

        return error.TryGetProperty("name", out JsonElement name) ? name.GetString() ?? "Error" : "Error";
    }

    private string RelativePath(string path) =>
        path.StartsWith(repositoryPath + "/", StringComparison.Ordinal) ? path[(repositoryPath.Length + 1)..] : path;

    private int Next(string key)
    {
        int count = occurrences.GetValueOrDefault(key) + 1;
        occurrences[key] = count;
        return count;
    }

    private static string Clip(string value, int max) =>
        value.Length <= max ? value : string.Concat(value.AsSpan(0, max), "…(", (value.Length - max).ToString(CultureInfo.InvariantCulture), " more)");
}
