using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace CodingAgent.Tests.Support.ScriptedModel;

/// <summary>Streams a reply as OpenAI chat.completion.chunk server-sent events, as the AI SDK openai-compatible provider expects.</summary>
internal static class SseCompletionWriter
{
    public static async Task WriteAsync(HttpResponse response, CompletionIdentity identity, ModelReply reply, CancellationToken ct)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";

        await SendAsync(response, Chunk(identity, w => w.WriteString("role", "assistant"), finishReason: null), ct);
        string finishReason;
        if (reply is ToolCallReply call)
        {
            await SendAsync(response, Chunk(identity, w => ChunkJson.WriteToolCalls(w, identity, call, withIndex: true), finishReason: null), ct);
            finishReason = "tool_calls";
        }
        else
        {
            foreach (var piece in SplitText(((TextReply)reply).Text))
            {
                await SendAsync(response, Chunk(identity, w => w.WriteString("content", piece), finishReason: null), ct);
            }

            finishReason = "stop";
        }

        await SendAsync(response, Chunk(identity, _ => { }, finishReason), ct);
        await SendAsync(response, ChunkJson.Build(w =>
        {
            w.WriteStartObject();
            ChunkJson.WriteHeader(w, identity, "chat.completion.chunk");
            w.WriteStartArray("choices");
            w.WriteEndArray();
            ChunkJson.WriteUsage(w, identity);
            w.WriteEndObject();
        }), ct);
        await SendAsync(response, "[DONE]", ct);
    }

    private static string Chunk(CompletionIdentity identity, Action<Utf8JsonWriter> writeDelta, string? finishReason) => ChunkJson.Build(w =>
    {
        w.WriteStartObject();
        ChunkJson.WriteHeader(w, identity, "chat.completion.chunk");
        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteNumber("index", 0);
        w.WriteStartObject("delta");
        writeDelta(w);
        w.WriteEndObject();
        if (finishReason is null)
        {
            w.WriteNull("finish_reason");
        }
        else
        {
            w.WriteString("finish_reason", finishReason);
        }

        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    });

    /// <summary>Splits text into word-sized deltas (each keeps its trailing space) so the client sees real streaming.</summary>
    private static IEnumerable<string> SplitText(string text)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == ' ')
            {
                yield return text[start..(i + 1)];
                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            yield return text[start..];
        }
    }

    private static async Task SendAsync(HttpResponse response, string data, CancellationToken ct)
    {
        await response.WriteAsync("data: " + data + "\n\n", ct);
        await response.Body.FlushAsync(ct);
    }
}
