using System.Text.Json;

namespace CodingAgent.Agent;

/// <summary>
/// Where one prompt stands, read from the session's message list: the list is OpenCode's own record, unlike the
/// status and idle events, which another run on the same session can also produce (a stray idle after an abort).
/// </summary>
/// <param name="PromptStored">The user message with the prompt's id exists.</param>
/// <param name="Replies">Assistant messages answering the prompt; OpenCode creates one at the start of every step.</param>
/// <param name="LastReplyCompleted">The newest reply is written completely (no step of the turn is in flight).</param>
/// <param name="Concluded">The turn is over: the newest reply ended the loop, or carries an error.</param>
/// <param name="Aborted">The newest reply was cut off by an abort.</param>
public sealed record TurnProgress(bool PromptStored, int Replies, bool LastReplyCompleted, bool Concluded, bool Aborted)
{
    private const string AbortedErrorName = "MessageAbortedError";

    public bool Started => Replies > 0;

    public static TurnProgress Read(JsonElement messages, string messageId)
    {
        bool stored = false;
        int replies = 0;
        JsonElement last = default;
        foreach (JsonElement message in messages.EnumerateArray())
        {
            JsonElement info = message.GetProperty("info");
            if (info.TryGetProperty("id", out JsonElement id) && id.GetString() == messageId)
            {
                stored = true;
            }
            else if (info.TryGetProperty("parentID", out JsonElement parent) && parent.GetString() == messageId)
            {
                replies++;
                last = info;
            }
        }

        if (replies == 0)
        {
            return new TurnProgress(stored, 0, false, false, false);
        }

        bool completed = last.TryGetProperty("time", out JsonElement time) && time.TryGetProperty("completed", out JsonElement done)
            && done.ValueKind == JsonValueKind.Number;
        bool failed = ErrorName(last) is not null;
        string? finish = last.TryGetProperty("finish", out JsonElement f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;

        // OpenCode's own loop exit: a finish other than tool-calls/unknown; a stored error ends the loop as well.
        bool concluded = failed || (completed && finish is not (null or "tool-calls" or "unknown"));
        return new TurnProgress(stored, replies, completed, concluded, ErrorName(last) == AbortedErrorName);
    }

    /// <summary>
    /// True for an OpenCode event announcing an assistant message that answers <paramref name="messageId"/>: the prompt was
    /// taken and its run has started.
    /// </summary>
    public static bool IsReplyEvent(JsonElement envelope, string messageId) =>
        envelope.TryGetProperty("type", out JsonElement type) && type.ValueKind == JsonValueKind.String && type.GetString() == "message.updated"
        && envelope.TryGetProperty("properties", out JsonElement properties) && properties.ValueKind == JsonValueKind.Object
        && properties.TryGetProperty("info", out JsonElement info) && info.ValueKind == JsonValueKind.Object
        && info.TryGetProperty("parentID", out JsonElement parent) && parent.ValueKind == JsonValueKind.String && parent.GetString() == messageId;

    public static string? ErrorName(JsonElement info) =>
        info.TryGetProperty("error", out JsonElement error) && error.ValueKind == JsonValueKind.Object
            ? error.TryGetProperty("name", out JsonElement name) ? name.GetString() ?? "Error" : "Error"
            : null;

    public static bool IsAbort(JsonElement info) => ErrorName(info) == AbortedErrorName;
}
