using CodingAgent.Application.Model;
using CodingAgent.Orchestrations;
using CodingAgent.Storage;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace CodingAgent.Application;

/// <summary>
/// The application layer every front door (HTTP, queue, Logic Apps) calls: create a run, accept a follow-up, end a session,
/// read a run. The durable client is passed in because each host hands it over its own way.
/// </summary>
public sealed class RunCommands(RunStore runs, TurnStore turns, PromptStore prompts, EventLog events, AgentConnections agents, TimeProvider time)
{
    public async Task<RunRecord> CreateAsync(string account, NewRun request, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(durable);
        DateTimeOffset now = time.GetUtcNow();
        string runId = RunIds.New(now);
        await prompts.PutAsync(runId, 1, request.Prompt, cancellationToken).ConfigureAwait(false);
        await turns.InsertAsync(new TurnRecord { RunId = runId, Turn = 1, Status = TurnStatuses.Queued, AcceptedAt = now }, cancellationToken)
            .ConfigureAwait(false);
        RunRecord run = await runs.InsertAsync(new RunRecord
        {
            Account = account,
            RunId = runId,
            Status = RunStatuses.Queued,
            Repository = request.Repository,
            CloneUrl = request.CloneUrl,
            Ref = request.Ref,
            ModelId = request.ModelId,
            TaskKind = request.TaskKind,
            ValidationMode = request.ValidationMode,
            BillingMode = request.BillingMode,
            PublishMode = request.PublishMode,
            AcceptedTurns = 1,
            IdleTimeoutSeconds = request.IdleTimeoutSeconds,
            MaxLifetimeSeconds = request.MaxLifetimeSeconds,
            Tags = request.Tags,
            CreatedAt = now,
            UpdatedAt = now,
        }, cancellationToken).ConfigureAwait(false);
        await events.AppendAsync(runId, [RunProgress.StatusDraft(run, 0)], cancellationToken).ConfigureAwait(false);

        await durable.ScheduleNewOrchestrationInstanceAsync(
            nameof(RunOrchestrator), new RunState(account, runId), new StartOrchestrationOptions(runId), cancellationToken).ConfigureAwait(false);
        return run;
    }

    public Task<RunRecord?> GetAsync(string account, string runId, CancellationToken cancellationToken) =>
        RunIds.IsWellFormed(runId) ? runs.GetAsync(account, runId, cancellationToken) : Task.FromResult<RunRecord?>(null);

    public async Task<IReadOnlyList<RunEvent>> EventsAsync(string runId, CancellationToken cancellationToken)
    {
        List<RunEvent> all = [];
        while (true)
        {
            IReadOnlyList<RunEvent> page = await events.ReadAsync(runId, all.Count == 0 ? 0 : all[^1].Seq, 1000, cancellationToken).ConfigureAwait(false);
            all.AddRange(page);
            if (page.Count < 1000)
            {
                return all;
            }
        }
    }

    public Task<TurnRecord?> GetTurnAsync(string runId, int turn, CancellationToken cancellationToken) =>
        turns.GetAsync(runId, turn, cancellationToken);

    /// <summary>Accepts a follow-up prompt as the next turn number, after checking the session is really there.</summary>
    public async Task<MessageOutcome> AcceptMessageAsync(
        string account, string runId, string prompt, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(durable);
        RunRecord? run = await GetAsync(account, runId, cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            return new MessageOutcome.NotFound();
        }

        if (await InactiveReasonAsync(run, cancellationToken).ConfigureAwait(false) is { } reason)
        {
            return new MessageOutcome.SessionInactive(run, reason);
        }

        DateTimeOffset now = time.GetUtcNow();
        RunRecord numbered = await runs.UpdateAsync(account, runId, r => r with { AcceptedTurns = r.AcceptedTurns + 1, UpdatedAt = now }, cancellationToken)
            .ConfigureAwait(false);
        int number = numbered.AcceptedTurns;
        await prompts.PutAsync(runId, number, prompt, cancellationToken).ConfigureAwait(false);
        TurnRecord turn = new() { RunId = runId, Turn = number, Status = TurnStatuses.Queued, AcceptedAt = now };
        await turns.InsertAsync(turn, cancellationToken).ConfigureAwait(false);
        await durable.RaiseEventAsync(runId, RunEvents.Message, new MessageSignal(number), cancellationToken).ConfigureAwait(false);
        return new MessageOutcome.Accepted(numbered, turn);
    }

    public async Task<MessageOutcome> EndSessionAsync(string account, string runId, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(durable);
        RunRecord? run = await GetAsync(account, runId, cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            return new MessageOutcome.NotFound();
        }

        if (RunStatuses.IsFinal(run.Status) || run.EndRequested)
        {
            return new MessageOutcome.SessionInactive(run, InactiveReasons.Ended);
        }

        RunRecord ending = await runs.UpdateAsync(account, runId, r => r with { EndRequested = true, UpdatedAt = time.GetUtcNow() }, cancellationToken)
            .ConfigureAwait(false);
        await durable.RaiseEventAsync(runId, RunEvents.EndSession, new EndSessionSignal("requested"), cancellationToken).ConfigureAwait(false);
        return new MessageOutcome.Accepted(ending, null);
    }

    private async Task<string?> InactiveReasonAsync(RunRecord run, CancellationToken cancellationToken)
    {
        if (RunStatuses.IsFinal(run.Status) || run.EndRequested)
        {
            return run.EndReason == EndReasons.Expired ? InactiveReasons.Expired : InactiveReasons.Ended;
        }

        if (run.SessionExpiresAt is { } expires && time.GetUtcNow() >= expires)
        {
            return InactiveReasons.Expired;
        }

        if (!run.SessionActive)
        {
            return InactiveReasons.NotReady;
        }

        return await agents.IsHealthyAsync(run, cancellationToken).ConfigureAwait(false) ? null : InactiveReasons.Unhealthy;
    }
}
