using System.Globalization;
using CodingAgent.Model;
using CodingAgent.Agent;
using CodingAgent.Application.Webhooks;
using CodingAgent.Application.Workflow;
using CodingAgent.Storage;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace CodingAgent.Application;

/// <summary>
/// The writes every front door (HTTP, queue, Logic Apps) calls: create a run, accept a follow-up, cancel a turn, end a
/// session. The durable client is passed in because each host hands it over its own way.
/// </summary>
public sealed class RunCommands(
    RunStore runs, RunQueries queries, TurnStore turns, PromptStore prompts, EventLog events, RunLimits limits,
    ContinuationContext continuation, AgentConnections agents, PublishRules publishRules, RepositoryAccess repositories, WebhookTargets webhooks,
    TimeProvider time)
{
    private const int QueuedTurnRetryAfterSeconds = 10;

    /// <param name="intent">Where a front door with idempotency keys keeps the run id before anything is written, so a retry
    /// after a crash between the writes finishes the same run.</param>
    public async Task<CreateOutcome> CreateAsync(
        string account, NewRun request, DurableTaskClient durable, CancellationToken cancellationToken, IRequestIntent? intent = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(durable);
        RunRecord? previous = null;
        if (request.ContinueFrom is { } previousId)
        {
            previous = await runs.GetAsync(new RunKey(account, previousId), cancellationToken).ConfigureAwait(false);
            if (previous is null)
            {
                return new CreateOutcome.Rejected("continueFrom", $"There is no run '{previousId}' in this account.");
            }

            if (request.Repository is { } repository && repository != previous.Repository)
            {
                return new CreateOutcome.Rejected("repository", $"A continuing run works on the previous run's repository '{previous.Repository}'; omit 'repository' or send that.");
            }
        }

        if (previous is not null && publishRules.Check(previous.Repository, previous.CloneUrl, request.PublishMode) is { } publishError)
        {
            return new CreateOutcome.Rejected("publish.mode", publishError);
        }

        // Checked again for a continuing run: the account's allow-list may have changed since the previous run.
        string cloneUrl = previous?.CloneUrl ?? request.CloneUrl!;
        if (!await repositories.IsAllowedAsync(account, cloneUrl, cancellationToken).ConfigureAwait(false))
        {
            return new CreateOutcome.Forbidden(ErrorCodes.RepositoryNotAllowed,
                $"The account may not run on '{previous?.Repository ?? request.Repository}': it is not in the account's repository allow-list (scripts/accounts).");
        }

        if (request.WebhookUrl is { } webhookUrl && await webhooks.RefusalAsync(webhookUrl, cancellationToken).ConfigureAwait(false) is { } refusal)
        {
            return new CreateOutcome.Rejected("webhook.url", refusal);
        }

        IRequestIntent plan = intent ?? NoRequestIntent.Instance;
        if (plan.Recalled is { } recalled && RunIds.IsWellFormed(recalled))
        {
            // A retry of a creation that stopped between its writes: finish that run rather than start a second one.
            RunKey recalledRun = new(account, recalled);
            RunRecord? begun = await runs.GetAsync(recalledRun, cancellationToken).ConfigureAwait(false);
            if (begun is not null && RunStatuses.IsFinal(begun.Status))
            {
                return new CreateOutcome.Created(begun); // it got all the way and has ended since: nothing to finish, no slot to hold
            }

            return await limits.ReserveSessionAsync(recalledRun, cancellationToken).ConfigureAwait(false) is { } refused
                ? new CreateOutcome.Limited(refused)
                : await StartAsync(recalledRun, begun?.CreatedAt ?? time.GetUtcNow(), request, previous, cloneUrl, durable, cancellationToken,
                    resuming: true, begun).ConfigureAwait(false);
        }

        if (await limits.CheckCreateAsync(account, cancellationToken).ConfigureAwait(false) is { } limit)
        {
            return new CreateOutcome.Limited(limit);
        }

        DateTimeOffset now = time.GetUtcNow();
        RunKey key = new(account, RunIds.New(now));
        if (await limits.ReserveSessionAsync(key, cancellationToken).ConfigureAwait(false) is { } sessionLimit)
        {
            return new CreateOutcome.Limited(sessionLimit);
        }

        try
        {
            await plan.RememberAsync(key.RunId, cancellationToken).ConfigureAwait(false);
            return await StartAsync(key, now, request, previous, cloneUrl, durable, cancellationToken, resuming: false, begun: null)
                .ConfigureAwait(false);
        }
        catch
        {
            // Nothing was scheduled, so no teardown will give the slot back.
            await limits.ReleaseSessionAsync(key, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// The writes of a creation, each safe to repeat: a retry (<paramref name="resuming"/>; <paramref name="begun"/> is the
    /// run row its first attempt stored, if it got that far) skips what is there and does the rest, scheduling the
    /// orchestration only if it does not exist.
    /// </summary>
    private async Task<CreateOutcome> StartAsync(
        RunKey key, DateTimeOffset now, NewRun request, RunRecord? previous, string cloneUrl, DurableTaskClient durable,
        CancellationToken cancellationToken, bool resuming, RunRecord? begun)
    {
        (string account, string runId) = key;
        if (previous is not null)
        {
            string context = await continuation.ComposeAsync(previous, cancellationToken).ConfigureAwait(false);
            await prompts.PutContextAsync(runId, context, cancellationToken).ConfigureAwait(false);
        }

        await prompts.PutAsync(runId, 1, request.Prompt, cancellationToken).ConfigureAwait(false);
        TurnRecord first = new() { RunId = runId, Turn = 1, Status = TurnStatuses.Queued, AcceptedAt = now };
        await (resuming ? turns.InsertIfMissingAsync(first, cancellationToken) : turns.InsertAsync(first, cancellationToken)).ConfigureAwait(false);
        RunRecord run = begun ?? await runs.InsertAsync(new RunRecord
        {
            Account = account,
            RunId = runId,
            Status = RunStatuses.Queued,
            Repository = previous?.Repository ?? request.Repository!,
            CloneUrl = cloneUrl,
            Ref = request.Ref ?? previous?.Ref,
            ModelId = request.ModelId,
            TaskKind = request.TaskKind,
            ValidationMode = request.ValidationMode,
            BillingMode = request.BillingMode,
            PublishMode = request.PublishMode,
            Publish = request.PublishMode == PublishModes.None
                ? null
                : new PublishState(publishRules.BranchFor(request.PublishBranch, runId)),
            ValidationCommand = request.ValidationCommand,
            ValidationTimeoutSeconds = request.ValidationTimeoutSeconds,
            MaxFixAttempts = request.MaxFixAttempts,
            ApiBaseUrl = request.ApiBaseUrl,
            ReplyTo = request.ReplyTo,
            WebhookUrl = request.WebhookUrl,
            WebhookEvents = request.WebhookEvents,
            AcceptedTurns = 1,
            IdleTimeoutSeconds = request.IdleTimeoutSeconds,
            MaxLifetimeSeconds = request.MaxLifetimeSeconds,
            Tags = request.Tags,
            ContinuedFrom = previous?.RunId,
            CreatedAt = now,
            UpdatedAt = now,
        }, cancellationToken).ConfigureAwait(false);
        if (!resuming || (await events.ReadAsync(runId, 0, 1, cancellationToken).ConfigureAwait(false)).Count == 0)
        {
            await events.AppendAsync(runId, [RunProgress.StatusDraft(run, 0)], cancellationToken).ConfigureAwait(false);
        }

        if (!resuming || await durable.GetInstanceAsync(runId, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false) is null)
        {
            await durable.ScheduleNewOrchestrationInstanceAsync(
                OrchestrationNames.Run, new RunState(account, runId), new StartOrchestrationOptions(runId), cancellationToken).ConfigureAwait(false);
        }

        return new CreateOutcome.Created(run);
    }

    /// <summary>
    /// Accepts a follow-up prompt as the next turn number, after checking the session is really there. While a turn runs,
    /// accepted prompts queue: the orchestration runs them in number order.
    /// </summary>
    /// <param name="intent">Where the turn number is kept before the turn's writes, so a retry after a crash accepts the same turn.</param>
    public async Task<MessageOutcome> AcceptMessageAsync(
        RunKey key, string prompt, DurableTaskClient durable, CancellationToken cancellationToken, IRequestIntent? intent = null)
    {
        ArgumentNullException.ThrowIfNull(durable);
        RunRecord? run = await GetAsync(key, cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            return new MessageOutcome.NotFound();
        }

        if (await InactiveReasonAsync(run, durable, cancellationToken).ConfigureAwait(false) is { } reason)
        {
            return new MessageOutcome.SessionInactive(run, reason);
        }

        DateTimeOffset now = time.GetUtcNow();
        IRequestIntent plan = intent ?? NoRequestIntent.Instance;
        if (plan.Recalled is { } recalled && int.TryParse(recalled, NumberStyles.None, CultureInfo.InvariantCulture, out int numberedBefore)
            && numberedBefore <= run.AcceptedTurns)
        {
            // A retry of an accept that stopped after numbering its turn: store and announce that same turn.
            return await StoreTurnAsync(run, numberedBefore, prompt, now, durable, cancellationToken, resumed: true).ConfigureAwait(false);
        }

        int maxQueued = limits.MaxQueuedTurns;
        int before = -1;
        // Numbered and counted in one conditional write, so racing prompts can never queue past the limit.
        RunRecord numbered = await runs.UpdateAsync(key, r =>
        {
            before = r.AcceptedTurns;
            return r.QueuedTurns >= maxQueued ? null : r with { AcceptedTurns = r.AcceptedTurns + 1, UpdatedAt = now };
        }, cancellationToken).ConfigureAwait(false);
        if (numbered.AcceptedTurns == before)
        {
            return new MessageOutcome.Limited(new LimitExceeded(ErrorCodes.TooManyQueuedTurns,
                $"The run already has {numbered.QueuedTurns} prompts queued behind the running turn (the limit is {maxQueued}); wait for one to start.",
                QueuedTurnRetryAfterSeconds));
        }

        await plan.RememberAsync(numbered.AcceptedTurns.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        return await StoreTurnAsync(numbered, numbered.AcceptedTurns, prompt, now, durable, cancellationToken, resumed: false).ConfigureAwait(false);
    }

    // Independent writes (a blob and a row, both safe to repeat); the orchestration is told only once both are stored,
    // and de-duplicates the signal by turn number.
    private async Task<MessageOutcome> StoreTurnAsync(
        RunRecord run, int number, string prompt, DateTimeOffset now, DurableTaskClient durable, CancellationToken cancellationToken, bool resumed)
    {
        TurnRecord turn = new() { RunId = run.RunId, Turn = number, Status = TurnStatuses.Queued, AcceptedAt = now };
        await Task.WhenAll(prompts.PutAsync(run.RunId, number, prompt, cancellationToken), turns.InsertIfMissingAsync(turn, cancellationToken)).ConfigureAwait(false);
        await durable.RaiseEventAsync(run.RunId, RunEvents.Message, new MessageSignal(number), cancellationToken).ConfigureAwait(false);
        TurnRecord stored = resumed ? await turns.GetAsync(run.RunId, number, cancellationToken).ConfigureAwait(false) ?? turn : turn;
        return new MessageOutcome.Accepted(run, stored);
    }

    /// <summary>
    /// Numbers the automatic fix turn for <paramref name="sourceTurn"/> — only while no later turn is accepted, so it runs
    /// right after the turn it fixes. Repeating the call (a retried activity) returns the same turn; null when none was given.
    /// </summary>
    public async Task<int?> AcceptFixTurnAsync(
        RunKey key, int sourceTurn, int attempt, Func<RunRecord, string> prompt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(prompt);
        string runId = key.RunId;
        DateTimeOffset now = time.GetUtcNow();
        RunRecord run = await runs.UpdateAsync(key, r =>
            r.FixSourceTurn == sourceTurn || r.AcceptedTurns != sourceTurn || r.EndRequested || RunStatuses.IsFinal(r.Status)
                ? null
                : r with { AcceptedTurns = sourceTurn + 1, FixSourceTurn = sourceTurn, FixTurn = sourceTurn + 1, UpdatedAt = now },
            cancellationToken).ConfigureAwait(false);
        if (run.FixSourceTurn != sourceTurn || run.FixTurn is not { } number)
        {
            return null;
        }

        if (await turns.GetAsync(runId, number, cancellationToken).ConfigureAwait(false) is null)
        {
            await prompts.PutAsync(runId, number, prompt(run), cancellationToken).ConfigureAwait(false);
            await turns.InsertAsync(new TurnRecord
            {
                RunId = runId, Turn = number, Status = TurnStatuses.Queued, AcceptedAt = now, FixOf = sourceTurn, FixAttempt = attempt,
            }, cancellationToken).ConfigureAwait(false);
        }

        return number;
    }

    public async Task<MessageOutcome> EndSessionAsync(RunKey key, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(durable);
        RunRecord? run = await GetAsync(key, cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            return new MessageOutcome.NotFound();
        }

        if (RunStatuses.IsFinal(run.Status) || run.EndRequested)
        {
            return new MessageOutcome.SessionInactive(run, InactiveReasons.Ended);
        }

        RunRecord ending = await runs.UpdateAsync(run.Key, r => r with { EndRequested = true, UpdatedAt = time.GetUtcNow() }, cancellationToken)
            .ConfigureAwait(false);
        await durable.RaiseEventAsync(run.RunId, RunEvents.EndSession, new EndSessionSignal("requested"), cancellationToken).ConfigureAwait(false);
        return new MessageOutcome.Accepted(ending, null);
    }

    /// <summary>
    /// Aborts the running turn through OpenCode; the session stays warm and queued turns still run. The turn is flagged
    /// first, so the activity running it reports it as cancelled rather than failed.
    /// </summary>
    public async Task<MessageOutcome> CancelTurnAsync(RunKey key, CancellationToken cancellationToken)
    {
        RunRecord? run = await GetAsync(key, cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            return new MessageOutcome.NotFound();
        }

        if (EndedReason(run) is { } ended)
        {
            return new MessageOutcome.SessionInactive(run, ended);
        }

        TurnRecord? running = run.CurrentTurn > 0 ? await turns.GetAsync(run.RunId, run.CurrentTurn, cancellationToken).ConfigureAwait(false) : null;
        if (running is null || running.Status != TurnStatuses.Running)
        {
            return new MessageOutcome.NoTurnRunning(run);
        }

        TurnRecord flagged = await turns.UpdateAsync(run.RunId, running.Turn, t => t.Status == TurnStatuses.Running ? t with { CancelRequested = true } : null, cancellationToken)
            .ConfigureAwait(false);
        if (!flagged.CancelRequested)
        {
            return new MessageOutcome.NoTurnRunning(run);
        }

        Agent.OpenCodeClient? client = await agents.ConnectAsync(run, cancellationToken).ConfigureAwait(false);
        if (client is null || run.Agent?.SessionId is not { } sessionId)
        {
            return new MessageOutcome.SessionInactive(run, InactiveReasons.Unhealthy);
        }

        await client.AbortAsync(sessionId, cancellationToken).ConfigureAwait(false);
        return new MessageOutcome.Accepted(run, flagged);
    }

    private Task<RunRecord?> GetAsync(RunKey key, CancellationToken cancellationToken) =>
        queries.GetAsync(key, cancellationToken);

    /// <summary>Why a finished or ending run takes no more work; null while it is neither.</summary>
    private static string? EndedReason(RunRecord run) =>
        RunStatuses.IsFinal(run.Status) || run.EndRequested
            ? run.EndReason == EndReasons.Expired ? InactiveReasons.Expired : InactiveReasons.Ended
            : null;

    private async Task<string?> InactiveReasonAsync(RunRecord run, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        if (EndedReason(run) is { } ended)
        {
            return ended;
        }

        if (run.SessionExpiresAt is { } expires && time.GetUtcNow() >= expires)
        {
            return InactiveReasons.Expired;
        }

        if (!run.SessionActive)
        {
            return InactiveReasons.NotReady;
        }

        AgentHealth health = await agents.ProbeAsync(run, cancellationToken).ConfigureAwait(false);
        if (health == AgentHealth.SandboxGone)
        {
            // Nothing can bring the session back: end the run now (teardown kills whatever is left) instead of at expiry.
            await runs.UpdateAsync(run.Key, r => r with { EndRequested = true, UpdatedAt = time.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
            await durable.RaiseEventAsync(run.RunId, RunEvents.EndSession, new EndSessionSignal(EndReasons.SandboxLost), cancellationToken).ConfigureAwait(false);
        }

        // An agent busy with a turn (writing a huge file, say) may not answer its health check in time: the prompt queues
        // behind that turn, whose activity notices an agent that is really gone.
        return health == AgentHealth.Healthy || (health == AgentHealth.NotAnswering && run.Status == RunStatuses.Running) ? null : InactiveReasons.Unhealthy;
    }
}
