using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CodingAgent.Tests.Support.ScriptedModel;

/// <summary>Extracts a <see cref="ChatRequest"/> from an OpenAI chat/completions JSON body.</summary>
internal static partial class ChatRequestParser
{
    public static ChatRequest Parse(JsonElement root)
    {
        var model = root.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "scripted";
        var stream = root.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
        var hasTools = root.TryGetProperty("tools", out var t) && t.ValueKind == JsonValueKind.Array && t.GetArrayLength() > 0;

        var messages = root.TryGetProperty("messages", out var msgs) && msgs.ValueKind == JsonValueKind.Array
            ? msgs.EnumerateArray().ToList()
            : [];

        string? workingDirectory = null;
        var lastUser = -1;
        for (var i = 0; i < messages.Count; i++)
        {
            var role = RoleOf(messages[i]);
            if (role == "system")
            {
                workingDirectory ??= FindWorkingDirectory(TextOf(messages[i]));
            }
            else if (role == "user")
            {
                lastUser = i;
            }
        }

        var calls = new List<ToolCallSeen>();
        var results = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = lastUser + 1; i < messages.Count; i++)
        {
            var message = messages[i];
            var role = RoleOf(message);
            if (role == "assistant" && message.TryGetProperty("tool_calls", out var toolCalls) && toolCalls.ValueKind == JsonValueKind.Array)
            {
                calls.AddRange(toolCalls.EnumerateArray().Select(ReadToolCall));
            }
            else if (role == "tool" && message.TryGetProperty("tool_call_id", out var id) && id.ValueKind == JsonValueKind.String)
            {
                results[id.GetString()!] = TextOf(message);
            }
        }

        var lastUserText = lastUser >= 0 ? TextOf(messages[lastUser]) : null;
        return new ChatRequest(model, stream, hasTools, workingDirectory, lastUserText, calls, results);
    }

    private static ToolCallSeen ReadToolCall(JsonElement call)
    {
        var id = call.TryGetProperty("id", out var i) ? i.GetString() ?? string.Empty : string.Empty;
        var name = string.Empty;
        var arguments = string.Empty;
        if (call.TryGetProperty("function", out var function))
        {
            name = function.TryGetProperty("name", out var n) ? n.GetString() ?? string.Empty : string.Empty;
            arguments = function.TryGetProperty("arguments", out var a) ? a.GetString() ?? string.Empty : string.Empty;
        }

        return new ToolCallSeen(id, name, arguments);
    }

    private static string? RoleOf(JsonElement message) =>
        message.TryGetProperty("role", out var role) && role.ValueKind == JsonValueKind.String ? role.GetString() : null;

    /// <summary>Message content as text: a plain string, or the <c>text</c> parts of an array joined by newlines.</summary>
    private static string TextOf(JsonElement message)
    {
        if (!message.TryGetProperty("content", out var content))
        {
            return string.Empty;
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString()!;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return string.Empty;
        }

        var text = new StringBuilder();
        foreach (var part in content.EnumerateArray())
        {
            if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
            {
                if (text.Length > 0)
                {
                    text.Append('\n');
                }

                text.Append(t.GetString());
            }
        }

        return text.ToString();
    }

    private static string? FindWorkingDirectory(string systemPrompt)
    {
        var match = WorkingDirectoryPattern().Match(systemPrompt);
        return match.Success ? match.Groups["dir"].Value.Trim() : null;
    }

    [GeneratedRegex(@"^\s*Working directory:\s*(?<dir>\S.*?)\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex WorkingDirectoryPattern();
}
