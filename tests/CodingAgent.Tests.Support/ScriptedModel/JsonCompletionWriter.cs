using Microsoft.AspNetCore.Http;

namespace CodingAgent.Tests.Support.ScriptedModel;

/// <summary>Writes a non-streamed chat.completion, or an OpenAI-style error body.</summary>
internal static class JsonCompletionWriter
{
    public static Task WriteAsync(HttpResponse response, CompletionIdentity identity, ModelReply reply, CancellationToken ct)
    {
        var body = ChunkJson.Build(w =>
        {
            w.WriteStartObject();
            ChunkJson.WriteHeader(w, identity, "chat.completion");
            w.WriteStartArray("choices");
            w.WriteStartObject();
            w.WriteNumber("index", 0);
            w.WriteStartObject("message");
            w.WriteString("role", "assistant");
            if (reply is ToolCallReply call)
            {
                w.WriteNull("content");
                ChunkJson.WriteToolCalls(w, identity, call, withIndex: false);
            }
            else
            {
                w.WriteString("content", ((TextReply)reply).Text);
            }

            w.WriteEndObject();
            w.WriteString("finish_reason", reply is ToolCallReply ? "tool_calls" : "stop");
            w.WriteEndObject();
            w.WriteEndArray();
            ChunkJson.WriteUsage(w, identity);
            w.WriteEndObject();
        });
        return WriteJsonAsync(response, StatusCodes.Status200OK, body, ct);
    }

    public static Task WriteErrorAsync(HttpResponse response, int statusCode, string message, CancellationToken ct)
    {
        var body = ChunkJson.Build(w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("error");
            w.WriteString("message", message);
            w.WriteString("type", statusCode >= 500 ? "server_error" : "invalid_request_error");
            w.WriteString("code", "scripted_failure");
            w.WriteEndObject();
            w.WriteEndObject();
        });
        return WriteJsonAsync(response, statusCode, body, ct);
    }

    private static Task WriteJsonAsync(HttpResponse response, int statusCode, string body, CancellationToken ct)
    {
        response.StatusCode = statusCode;
        response.ContentType = "application/json";
        return response.WriteAsync(body, ct);
    }
}
