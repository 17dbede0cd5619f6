using System.Text.Json;
using System.Threading.Channels;
using CodingAgent.Application.Model;

namespace CodingAgent.Agent;

/// <summary>
/// Runs one turn on a warm OpenCode session: subscribe to events, post the prompt under a fixed message id (never twice),
/// forward mapped events to the log as they come, stop at <c>session.idle</c>, then reconcile with the message list
/// because OpenCode's SSE has no ids and can drop events (opencode.md §4, §8).
/// </summary>
public sealed class OpenCodeTurnDriver(TimeProvider time)
{
    private const int FlushThreshold = 50;
    private static readonly TimeSpan BusyPollInterval = TimeSpan.FromMilliseconds(250);

    public async Task<AgentTurnResult> RunAsync(
        OpenCodeClient client,
        AgentTurnRequest request,
        Func<IReadOnlyList<RunEventDraft>, Task> appendEvents,
        CancellationToken cancellationToken)
    {
        OpenCodeEventMapper mapper = new(request.SessionId, request.RepositoryPath, request.Turn);
        HashSet<string> logged = new(request.AlreadyLogged, StringComparer.Ordinal);
        using CancellationTokenSource stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Channel<JsonElement> events = Channel.CreateUnbounded<JsonElement>(new UnboundedChannelOptions { SingleReader = true });
        TaskCompletionSource connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Task pump = PumpAsync(client, events.Writer, connected, stop.Token);

        try
        {
            await connected.Task.WaitAsync(TimeSpan.FromSeconds(15), cancellationToken).ConfigureAwait(false);
            bool alreadyPosted = await HasMessageAsync(client, request, cancellationToken).ConfigureAwait(false);
            if (!alreadyPosted)
            {
                await client.PromptAsync(request.SessionId, request.MessageId, request.Text, cancellationToken).ConfigureAwait(false);
            }
            else if (!await client.IsBusyAsync(request.SessionId, cancellationToken).ConfigureAwait(false))
            {
                // A retry after the turn already finished: nothing more will stream, only reconcile.
                return await ReconcileAsync(client, request, mapper, logged, appendEvents, cancellationToken).ConfigureAwait(false);
            }

            DateTimeOffset deadline = time.GetUtcNow() + request.Timeout;
            bool finished = await FollowUntilIdleAsync(client, request, mapper, logged, events.Reader, appendEvents, deadline, cancellationToken)
                .ConfigureAwait(false);
            if (!finished)
            {
                await client.AbortAsync(request.SessionId, cancellationToken).ConfigureAwait(false);
                AgentTurnResult partial = await ReconcileAsync(client, request, mapper, logged, appendEvents, cancellationToken).ConfigureAwait(false);
                return partial with { Error = new RunError("turn_timeout", $"The turn did not finish within {request.Timeout.TotalSeconds:0} s and was aborted.", Phases.Turn, true) };
            }

            return await ReconcileAsync(client, request, mapper, logged, appendEvents, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await pump.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task<bool> FollowUntilIdleAsync(
        OpenCodeClient client,
        AgentTurnRequest request,
        OpenCodeEventMapper mapper,
        HashSet<string> logged,
        ChannelReader<JsonElement> reader,
        Func<IReadOnlyList<RunEventDraft>, Task> appendEvents,
        DateTimeOffset deadline,
        CancellationToken cancellationToken)
    {
        List<RunEventDraft> pending = [];
        while (!mapper.SessionIdle)
        {
            TimeSpan left = deadline - time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                await FlushAsync(pending, appendEvents).ConfigureAwait(false);
                return false;
            }

            using CancellationTokenSource wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(left < BusyPollInterval * 8 ? left : BusyPollInterval * 8);
            bool more;
            try
            {
                more = await reader.WaitToReadAsync(wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Quiet for a while: make sure the session did not go idle behind a dropped event.
                if (!await client.IsBusyAsync(request.SessionId, cancellationToken).ConfigureAwait(false))
                {
                    break;
                }

                continue;
            }

            if (!more)
            {
                // The event stream closed: fall back to polling the session status.
                await FlushAsync(pending, appendEvents).ConfigureAwait(false);
                while (await client.IsBusyAsync(request.SessionId, cancellationToken).ConfigureAwait(false))
                {
                    if (time.GetUtcNow() >= deadline)
                    {
                        return false;
                    }

                    await Task.Delay(BusyPollInterval, time, cancellationToken).ConfigureAwait(false);
                }

                return true;
            }

            while (reader.TryRead(out JsonElement envelope))
            {
                foreach (RunEventDraft draft in mapper.Map(envelope))
                {
                    if (logged.Add(draft.Key))
                    {
                        pending.Add(draft);
                    }
                }

                if (pending.Count >= FlushThreshold || mapper.SessionIdle)
                {
                    break;
                }
            }

            await FlushAsync(pending, appendEvents).ConfigureAwait(false);
        }

        await FlushAsync(pending, appendEvents).ConfigureAwait(false);
        return true;
    }

    private static async Task<AgentTurnResult> ReconcileAsync(
        OpenCodeClient client,
        AgentTurnRequest request,
        OpenCodeEventMapper mapper,
        HashSet<string> logged,
        Func<IReadOnlyList<RunEventDraft>, Task> appendEvents,
        CancellationToken cancellationToken)
    {
        using JsonDocument messages = await client.GetMessagesAsync(request.SessionId, cancellationToken).ConfigureAwait(false);
        List<RunEventDraft> missed = [];
        string? finalText = null;
        long input = 0, output = 0;
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
            cost += info.TryGetProperty("cost", out JsonElement c) && c.ValueKind == JsonValueKind.Number ? c.GetDecimal() : 0m;
            if (info.TryGetProperty("error", out JsonElement e) && e.ValueKind == JsonValueKind.Object)
            {
                error = new RunError("agent_error", OpenCodeEventMapper.ErrorMessage(e), Phases.Turn, false);
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

        return new AgentTurnResult(finalText, new Usage(input, output, cost, 0), error);
    }

    private static async Task<bool> HasMessageAsync(OpenCodeClient client, AgentTurnRequest request, CancellationToken cancellationToken)
    {
        using JsonDocument messages = await client.GetMessagesAsync(request.SessionId, cancellationToken).ConfigureAwait(false);
        return messages.RootElement.EnumerateArray()
            .Any(m => m.GetProperty("info").TryGetProperty("id", out JsonElement id) && id.GetString() == request.MessageId);
    }

    private static async Task PumpAsync(OpenCodeClient client, ChannelWriter<JsonElement> writer, TaskCompletionSource connected, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (JsonElement envelope in client.EventsAsync(cancellationToken).ConfigureAwait(false))
            {
                connected.TrySetResult();
                await writer.WriteAsync(envelope, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            connected.TrySetException(ex);
        }
        finally
        {
            connected.TrySetResult();
            writer.TryComplete();
        }
    }

    private static async Task FlushAsync(List<RunEventDraft> pending, Func<IReadOnlyList<RunEventDraft>, Task> appendEvents)
    {
        if (pending.Count == 0)
        {
            return;
        }

        await appendEvents(pending.ToList()).ConfigureAwait(false);
        pending.Clear();
    }
}
