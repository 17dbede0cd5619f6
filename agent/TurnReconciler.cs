using System.Text.Json;
using CodingAgent.Model;

namespace CodingAgent.Agent;

/// <summary>
/// Reads a finished turn back from the message list: final text, usage, the error, and the parts the event stream
/// dropped (OpenCode's SSE has no ids and can lose events, docs/opencode.md §4).
/// </summary>
internal static class TurnReconciler
{
    public static async Task<AgentTurnResult> ReconcileAsync(
        OpenCodeClient client,
        AgentTurnRequest request,
        OpenCodeEventMapper mapper,
        HashSet<string> logged,
        Func<IReadOnlyList<RunEventDraft>, Task> appendEvents,
        CancellationToken cancellationToken)
    {
        using JsonDocument messages = await client.GetTurnMessagesAsync(request.SessionId, request.MessageId, cancellationToken).ConfigureAwait(false);
        return await ReconcileAsync(request, mapper, logged, appendEvents, messages, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>As above, with a message list already read (the caller disposes it).</summary>
    public static async Task<AgentTurnResult> ReconcileAsync(
        AgentTurnRequest request,
        OpenCodeEventMapper mapper,
        HashSet<string> logged,
        Func<IReadOnlyList<RunEventDraft>, Task> appendEvents,
        JsonDocument messages,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        List<RunEventDraft> missed = [];
        string? finalText = null;
        long input = 0, output = 0, cacheRead = 0, cacheWrite = 0;
        decimal cost = 0m;
        RunError? error = null;
        foreach (JsonElement message in messages.RootElement.EnumerateArray())
        {
            JsonElement info = message.GetProperty("info");
            if (!info.TryGetProperty("parentID", out JsonElement parent) || parent.GetString() != request.MessageId)
            {
                continue;
            }

            input += OpenCodeEventMapper.Number(info.GetProperty("tokens"), "input");
            output += OpenCodeEventMapper.Number(info.GetProperty("tokens"), "output");
            if (info.GetProperty("tokens").TryGetProperty("cache", out JsonElement cache) && cache.ValueKind == JsonValueKind.Object)
            {
                cacheRead += OpenCodeEventMapper.Number(cache, "read");
                cacheWrite += OpenCodeEventMapper.Number(cache, "write");
            }

            cost += info.TryGetProperty("cost", out JsonElement c) && c.ValueKind == JsonValueKind.Number ? c.GetDecimal() : 0m;
            if (info.TryGetProperty("error", out JsonElement e) && e.ValueKind == JsonValueKind.Object)
            {
                error = TurnProgress.IsAbort(info) ? TurnErrors.CancelledError() : TurnErrors.AgentFailure(OpenCodeEventMapper.ErrorMessage(e));
            }

            string text = string.Concat(message.GetProperty("parts").EnumerateArray()
                .Where(p => p.GetProperty("type").GetString() == "text")
                .Select(p => p.GetProperty("text").GetString()));
            if (text.Length > 0)
            {
                finalText = text;
            }

            foreach (JsonElement part in message.GetProperty("parts").EnumerateArray())
            {
                if (mapper.MapPart(part) is { } draft && logged.Add(draft.Key))
                {
                    missed.Add(draft);
                }
            }
        }

        if (missed.Count > 0)
        {
            await appendEvents(missed).ConfigureAwait(false);
        }

        return new AgentTurnResult(finalText, new Usage(input, output, cost, 0, cacheRead, cacheWrite), error);
    }
}
