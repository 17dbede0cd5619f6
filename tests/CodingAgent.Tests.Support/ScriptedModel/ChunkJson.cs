using System.Text;
using System.Text.Json;

namespace CodingAgent.Tests.Support.ScriptedModel;

/// <summary>Writes the JSON fragments shared by streamed and non-streamed completions.</summary>
internal static class ChunkJson
{
    public static string Build(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static void WriteHeader(Utf8JsonWriter writer, CompletionIdentity identity, string objectType)
    {
        writer.WriteString("id", identity.Id);
        writer.WriteString("object", objectType);
        writer.WriteNumber("created", identity.Created);
        writer.WriteString("model", identity.Model);
    }

    public static void WriteToolCalls(Utf8JsonWriter writer, CompletionIdentity identity, ToolCallReply call, bool withIndex)
    {
        writer.WriteStartArray("tool_calls");
        writer.WriteStartObject();
        if (withIndex)
        {
            writer.WriteNumber("index", 0);
        }

        writer.WriteString("id", identity.ToolCallId);
        writer.WriteString("type", "function");
        writer.WriteStartObject("function");
        writer.WriteString("name", call.Name);
        writer.WriteString("arguments", call.Arguments);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndArray();
    }

    public static void WriteUsage(Utf8JsonWriter writer, CompletionIdentity identity)
    {
        writer.WriteStartObject("usage");
        writer.WriteNumber("prompt_tokens", identity.PromptTokens);
        writer.WriteNumber("completion_tokens", identity.CompletionTokens);
        writer.WriteNumber("total_tokens", identity.TotalTokens);
        writer.WriteStartObject("prompt_tokens_details");
        writer.WriteNumber("cached_tokens", identity.CachedTokens);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
