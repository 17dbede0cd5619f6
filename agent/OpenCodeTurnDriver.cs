using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using CodingAgent.Model;

namespace CodingAgent.Agent;

/// <summary>
/// Runs one turn on a warm OpenCode session: subscribe to events, post the prompt under a fixed message id, confirm
/// OpenCode took it (re-post if it was dropped), forward mapped events to the log as they come, stop when the message
/// list shows the turn concluded, then reconcile with that list because OpenCode's SSE has no ids and can drop events
/// (docs/opencode.md §4, §8; architecture.md, "Posting a prompt").
/// </summary>
public sealed class OpenCodeTurnDriver(TimeProvider time)
{
    private const int FlushThreshold = 50;
    private const int MaxPosts = 3;
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan SettleInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan SettleTime = TimeSpan.FromMilliseconds(750);
    private static readonly TimeSpan QuietInterval = TimeSpan.FromSeconds(2);

    // A cold server takes several seconds before the first step of its first turn (docs/opencode.md §7).
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Runs the turn. An aborted turn (OpenCode's abort called while it runs) returns with
    /// <see cref="AgentTurnResult.Cancelled"/> set (error code <see cref="TurnErrors.Cancelled"/>); a prompt OpenCode
    /// never started returns <see cref="TurnErrors.NotStarted"/>; a turn past its timeout is aborted and returns
    /// <see cref="TurnErrors.Timeout"/>.
    /// </summary>
    public async Task<AgentTurnResult> RunAsync(
        OpenCodeClient client,
        AgentTurnRequest request,
        Func<IReadOnlyList<RunEventDraft>, Task> appendEvents,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(request);
        OpenCodeEventMapper mapper = new(request.SessionId, request.RepositoryPath, request.Turn);
        HashSet<string> logged = new(request.AlreadyLogged, StringComparer.Ordinal);
        using CancellationTokenSource stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Channel<JsonElement> events = Channel.CreateUnbounded<JsonElement>(new UnboundedChannelOptions { SingleReader = true });
        TaskCompletionSource connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
        StrongBox<AgentProtocolException?> broken = new();
        Task pump = PumpAsync(client, events.Writer, connected, broken, stop.Token);
        Task recheck = Task.CompletedTask;

        try
        {
            await connected.Task.WaitAsync(ConnectTimeout, cancellationToken).ConfigureAwait(false);
            int posts = 0;
            if (request.FirstAttempt || !(await ReadProgressAsync(client, request, cancellationToken).ConfigureAwait(false)).PromptStored)
            {
                // A retried activity whose prompt is already stored does not post here; the watch re-posts it if it was dropped.
                await client.PromptAsync(request.SessionId, request.MessageId, request.Text, cancellationToken).ConfigureAwait(false);
                posts = 1;
            }

            recheck = request.CancelRequested is { } asked ? AbortIfAskedAsync(client, request.SessionId, asked, stop.Token) : Task.CompletedTask;

            DateTimeOffset now = time.GetUtcNow();
            TurnWatch watch = new(MaxPosts, SettleTime, StartTimeout, posts, now);
            Follow follow = new(client, request, mapper, logged, events.Reader, appendEvents, watch, broken);
            TurnVerdict verdict;
            bool busy;
            try
            {
                (verdict, busy) = await FollowAsync(follow, now + request.Timeout, cancellationToken).ConfigureAwait(false);
            }
            catch (AgentProtocolException ex)
            {
                // The stream cannot be trusted any more: stop the turn, keep what the message list shows, fail it by name.
                await client.AbortAsync(request.SessionId, cancellationToken).ConfigureAwait(false);
                AgentTurnResult aborted = await ReconcileAsync(follow, cancellationToken).ConfigureAwait(false);
                return aborted with { Error = TurnErrors.ProtocolError(ex.Message) };
            }

            switch (verdict)
            {
                case TurnVerdict.Concluded:
                    // The list that showed the turn concluded is the one to reconcile with: no second read.
                    using (JsonDocument concluding = follow.Concluding!)
                    {
                        return await TurnReconciler.ReconcileAsync(follow.Request, follow.Mapper, follow.Logged, follow.AppendEvents, concluding, cancellationToken).ConfigureAwait(false);
                    }

                case TurnVerdict.Stopped:
                    AgentTurnResult stopped = await ReconcileAsync(follow, cancellationToken).ConfigureAwait(false);
                    return stopped with { Error = stopped.Error ?? TurnErrors.CancelledError() };
                case TurnVerdict.NotStarted:
                    if (busy)
                    {
                        // The session is busy with something that is not this turn; do not let the prompt start unobserved later.
                        await client.AbortAsync(request.SessionId, cancellationToken).ConfigureAwait(false);
                    }

                    AgentTurnResult notStarted = await ReconcileAsync(follow, cancellationToken).ConfigureAwait(false);
                    return notStarted with { Error = TurnErrors.NotStartedError(watch.Reason ?? "unknown reason.") };
                default:
                    await client.AbortAsync(request.SessionId, cancellationToken).ConfigureAwait(false);
                    AgentTurnResult partial = await ReconcileAsync(follow, cancellationToken).ConfigureAwait(false);
                    return partial with { Error = TurnErrors.TimeoutError(request.Timeout) };
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await pump.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await recheck.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private static async Task AbortIfAskedAsync(OpenCodeClient client, string sessionId, Func<CancellationToken, Task<bool>> asked, CancellationToken cancellationToken)
    {
        if (await asked(cancellationToken).ConfigureAwait(false))
        {
            await client.AbortAsync(sessionId, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Follows until the watch reaches a verdict; <see cref="TurnVerdict.Continue"/> means the deadline passed.</summary>
    private async Task<(TurnVerdict Verdict, bool Busy)> FollowAsync(Follow follow, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        List<RunEventDraft> pending = [];
        // Right after a post there is nothing to read yet; events (or the first settle interval) prompt the first look.
        DateTimeOffset nextCheck = time.GetUtcNow() + (follow.Watch.Settling ? SettleInterval : TimeSpan.Zero);
        int signalsSeen = follow.Mapper.StopSignals;
        while (true)
        {
            if (follow.Broken.Value is { } broken)
            {
                throw broken;
            }

            DateTimeOffset now = time.GetUtcNow();
            if (now >= deadline)
            {
                await FlushAsync(pending, follow.AppendEvents).ConfigureAwait(false);
                return (TurnVerdict.Continue, true);
            }

            if (now >= nextCheck || follow.Mapper.StopSignals != signalsSeen)
            {
                signalsSeen = follow.Mapper.StopSignals;
                await FlushAsync(pending, follow.AppendEvents).ConfigureAwait(false);
                JsonDocument messages = await follow.Client.GetTurnMessagesAsync(follow.Request.SessionId, follow.Request.MessageId, cancellationToken)
                    .ConfigureAwait(false);
                TurnProgress progress = TurnProgress.Read(messages.RootElement, follow.Request.MessageId);
                if (progress.Concluded)
                {
                    follow.Concluding = messages;
                    return (TurnVerdict.Concluded, false);
                }

                messages.Dispose();
                bool busy = await follow.Client.IsBusyAsync(follow.Request.SessionId, cancellationToken).ConfigureAwait(false);
                TurnVerdict verdict = follow.Watch.Observe(progress, busy, time.GetUtcNow());
                if (verdict is TurnVerdict.Concluded or TurnVerdict.Stopped or TurnVerdict.NotStarted)
                {
                    return (verdict, busy);
                }

                if (verdict == TurnVerdict.Repost)
                {
                    await follow.Client.PromptAsync(follow.Request.SessionId, follow.Request.MessageId, follow.Request.Text, cancellationToken)
                        .ConfigureAwait(false);
                }

                nextCheck = time.GetUtcNow() + (follow.Watch.Settling ? SettleInterval : QuietInterval);
            }

            bool more = await WaitForEventsAsync(follow.Events, Min(nextCheck, deadline) - time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            if (!more)
            {
                continue;
            }

            while (follow.Events.TryRead(out JsonElement envelope))
            {
                if (follow.Watch.Settling && TurnProgress.IsReplyEvent(envelope, follow.Request.MessageId))
                {
                    // The prompt is confirmed by the stream itself; the read that would confirm it would slow the turn it
                    // confirms (OpenCode serves it on the thread that runs the turn).
                    follow.Watch.ReplyStreamed();
                }

                foreach (RunEventDraft draft in follow.Mapper.Map(envelope))
                {
                    if (follow.Logged.Add(draft.Key))
                    {
                        pending.Add(draft);
                    }
                }

                if (pending.Count >= FlushThreshold || follow.Mapper.StopSignals != signalsSeen)
                {
                    break;
                }
            }

            await FlushAsync(pending, follow.AppendEvents).ConfigureAwait(false);
            if (!follow.Watch.Settling)
            {
                // Once the turn runs, the state is only read on a stop signal or after a quiet spell (events can be lost).
                nextCheck = time.GetUtcNow() + QuietInterval;
            }
        }
    }

    /// <summary>True when events are ready; false when the wait ran out or the stream has ended (then it waits out the time).</summary>
    private async Task<bool> WaitForEventsAsync(ChannelReader<JsonElement> reader, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (wait <= TimeSpan.Zero)
        {
            return false;
        }

        using CancellationTokenSource limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(wait);
        try
        {
            if (await reader.WaitToReadAsync(limit.Token).ConfigureAwait(false))
            {
                return true;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        // The event stream closed: fall back to reading the session's state at each check.
        await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
        return false;
    }

    private static Task<AgentTurnResult> ReconcileAsync(Follow follow, CancellationToken cancellationToken) =>
        TurnReconciler.ReconcileAsync(follow.Client, follow.Request, follow.Mapper, follow.Logged, follow.AppendEvents, cancellationToken);

    private static async Task<TurnProgress> ReadProgressAsync(OpenCodeClient client, AgentTurnRequest request, CancellationToken cancellationToken)
    {
        using JsonDocument messages = await client.GetTurnMessagesAsync(request.SessionId, request.MessageId, cancellationToken).ConfigureAwait(false);
        return TurnProgress.Read(messages.RootElement, request.MessageId);
    }

    private static async Task PumpAsync(
        OpenCodeClient client, ChannelWriter<JsonElement> writer, TaskCompletionSource connected, StrongBox<AgentProtocolException?> broken,
        CancellationToken cancellationToken)
    {
        try
        {
            await foreach (JsonElement envelope in client.EventsAsync(cancellationToken).ConfigureAwait(false))
            {
                connected.TrySetResult();
                await writer.WriteAsync(envelope, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (AgentProtocolException ex)
        {
            broken.Value = ex;
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

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>What one turn's follow loop works with.</summary>
    private sealed record Follow(
        OpenCodeClient Client,
        AgentTurnRequest Request,
        OpenCodeEventMapper Mapper,
        HashSet<string> Logged,
        ChannelReader<JsonElement> Events,
        Func<IReadOnlyList<RunEventDraft>, Task> AppendEvents,
        TurnWatch Watch,
        StrongBox<AgentProtocolException?> Broken)
    {
        /// <summary>The message list that showed the turn concluded (owned by the caller once the loop returns).</summary>
        public JsonDocument? Concluding { get; set; }
    }
}
