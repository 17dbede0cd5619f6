using Activity = System.Diagnostics.Activity;
using System.Globalization;
using System.Text;
using CodingAgent.Agent;
using CodingAgent.Application;
using CodingAgent.Application.Turns;
using CodingAgent.Model;
using CodingAgent.Configuration;
using CodingAgent.Application.Workflow;
using CodingAgent.Repositories;
using CodingAgent.Sandboxes;
using CodingAgent.Storage;
using CodingAgent.Telemetry;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodingAgent.Activities;

/// <summary>
/// One turn on the warm session: the prompt goes to a task file, OpenCode is told to read it, its events stream into the
/// run's log, and the result (text, patch stats, usage) lands on the turn and the run. Safe to retry: the message id is
/// stored before the post, and events already logged are not logged again.
/// </summary>
public sealed partial class RunTurnActivity(
    ISandboxProvider sandboxes,
    RunProgress progress,
    TurnStore turns,
    PromptStore prompts,
    PatchStore patches,
    EventLog events,
    AgentConnections connections,
    OpenCodeTurnDriver driver,
    SessionWindow window,
    TurnSettler settler,
    IOptions<AgentOptions> agent,
    IOptions<LimitOptions> limits,
    TimeProvider time,
    ILogger<RunTurnActivity> logger)
{
    private const int MaxStoredTextLength = 30_000;

    [Function(ActivityNames.RunTurn)]
    public async Task<TurnOutcome> RunTurn([ActivityTrigger] TurnInput input, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        using Activity? span = AgentTelemetry.StartRunSpan(ActivityNames.RunTurn, input.Run, input.Turn);
        long started = time.GetTimestamp();
        // The run's row and the turn's row are independent writes; the turn's message id is fixed before anything is posted.
        Task<RunRecord> begun = progress.BeginPhaseAsync(input.Run, Phases.Turn, input.Turn, RunStatuses.Running, cancellationToken,
            r => r with { CurrentTurn = input.Turn });
        Task<(TurnRecord Turn, bool FirstAttempt)> turnStarted = StartTurnAsync(input, cancellationToken);
        try
        {
            await Task.WhenAll(begun, turnStarted).ConfigureAwait(false);
        }
        catch (TurnNotFoundException)
        {
            return await FailLostTurnAsync(input, await begun.ConfigureAwait(false), durable, cancellationToken).ConfigureAwait(false);
        }

        RunRecord run = await begun.ConfigureAwait(false);
        (TurnRecord turn, bool firstAttempt) = await turnStarted.ConfigureAwait(false);

        ISandbox? sandbox = await SandboxOf.TryConnectAsync(sandboxes, run, cancellationToken).ConfigureAwait(false);
        bool agentRunning = sandbox is not null && run.Agent?.ProcessRef is { } processRef
            && await sandbox.IsProcessRunningAsync(processRef, cancellationToken).ConfigureAwait(false);
        OpenCodeClient? client = agentRunning ? await connections.ConnectAsync(run, cancellationToken).ConfigureAwait(false) : null;
        if (sandbox is null || client is null)
        {
            RunError lost = new(ErrorCodes.SandboxLost, "The sandbox or its OpenCode process is gone; the session cannot continue.", Phases.Turn, false);
            await FinishAsync(input, TurnStatuses.Failed, AgentPart.None, lost, null, durable, cancellationToken).ConfigureAwait(false);
            return new TurnOutcome(input.Turn, SessionAlive: false, time.GetUtcNow().UtcDateTime);
        }

        if (turn.CancelRequested)
        {
            DateTimeOffset keptUntil = run.SessionExpiresAt ?? time.GetUtcNow();
            await FinishAsync(input, TurnStatuses.Cancelled, AgentPart.None, Cancelled, keptUntil, durable, cancellationToken).ConfigureAwait(false);
            return new TurnOutcome(input.Turn, SessionAlive: true, keptUntil.UtcDateTime);
        }

        await window.CoverTurnAsync(sandbox.Id, run, cancellationToken).ConfigureAwait(false);
        string taskFile;
        try
        {
            taskFile = await WriteTaskFileAsync(sandbox, input, cancellationToken).ConfigureAwait(false);
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            return await FailLostTurnAsync(input, run, durable, cancellationToken).ConfigureAwait(false);
        }

        AgentTurnRequest request = new(
            run.Agent!.SessionId!,
            turn.UserMessageId!,
            TaskFiles.Instruction(taskFile),
            RepositoryWorkspace.PathIn(sandbox),
            input.Turn,
            TimeSpan.FromSeconds(agent.Value.TurnTimeoutSeconds),
            // Only a retried attempt can find its own events already logged; the first one skips the query.
            firstAttempt ? new HashSet<string>(StringComparer.Ordinal) : await events.KeysOfTurnAsync(input.RunId, input.Turn, cancellationToken).ConfigureAwait(false))
        {
            FirstAttempt = firstAttempt,
            CancelRequested = async token => (await turns.GetAsync(input.RunId, input.Turn, token).ConfigureAwait(false))?.CancelRequested == true,
        };
        long agentStarted = time.GetTimestamp();
        AgentTurnResult result = await driver.RunAsync(client, request, drafts => progress.AppendAsync(input.RunId, drafts, cancellationToken), cancellationToken)
            .ConfigureAwait(false);

        long agentEnded = time.GetTimestamp();
        // The sandbox's life since the last counted turn belongs to this turn (idle time included, as E2B bills it).
        Usage usage = result.Usage with { SandboxSeconds = RunUsage.SandboxSecondsUntil(run, time.GetUtcNow()) };
        (PatchStats stats, string patch, bool truncated) = await RepositoryWorkspace
            .ChangesAsync(sandbox, run.BaseSha!, limits.Value.MaxPatchBytes, cancellationToken).ConfigureAwait(false);
        await patches.PutAsync(input.RunId, patch, cancellationToken).ConfigureAwait(false);
        bool cancelled = result.Cancelled || (result.Error is not null
            && (await turns.GetAsync(input.RunId, input.Turn, cancellationToken).ConfigureAwait(false))?.CancelRequested == true);
        (string status, RunError? error) = cancelled ? (TurnStatuses.Cancelled, Cancelled)
            : result.Error is null ? (TurnStatuses.Completed, null) : (TurnStatuses.Failed, result.Error);
        bool validate = status == TurnStatuses.Completed && run.ValidationMode != ValidationModes.Minimal;
        bool publish = status == TurnStatuses.Completed && run.PublishMode != PublishModes.None;
        TurnOutcome outcome;
        if (validate || publish)
        {
            // Validation and publishing follow as their own activities; the last step settles the turn.
            await RecordAgentResultAsync(input, Clip(result.FinalText), stats, truncated, usage, cancellationToken).ConfigureAwait(false);
            outcome = new TurnOutcome(input.Turn, SessionAlive: true, (run.SessionExpiresAt ?? time.GetUtcNow()).UtcDateTime, Settled: false, validate, publish);
        }
        else
        {
            DateTimeOffset expiresAt = await window.ExtendAfterTurnAsync(sandbox.Id, run, cancellationToken).ConfigureAwait(false);
            await FinishAsync(input, status, new AgentPart(Clip(result.FinalText), stats, truncated, usage), error, expiresAt, durable, cancellationToken).ConfigureAwait(false);
            outcome = new TurnOutcome(input.Turn, SessionAlive: true, expiresAt.UtcDateTime);
        }

        LogTiming(logger, input.Turn, input.RunId, status, time.GetElapsedTime(started).TotalMilliseconds,
            time.GetElapsedTime(started, agentStarted).TotalMilliseconds, time.GetElapsedTime(agentStarted, agentEnded).TotalMilliseconds,
            time.GetElapsedTime(agentEnded).TotalMilliseconds);
        return outcome;
    }

    /// <summary>
    /// A turn the run counts but whose row or prompt was never stored (the control plane stopped midway through accepting
    /// it): that turn fails, the session and the turns after it go on.
    /// </summary>
    private async Task<TurnOutcome> FailLostTurnAsync(TurnInput input, RunRecord run, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();
        if (await turns.GetAsync(input.RunId, input.Turn, cancellationToken).ConfigureAwait(false) is null)
        {
            await turns.InsertAsync(new TurnRecord { RunId = input.RunId, Turn = input.Turn, Status = TurnStatuses.Queued, AcceptedAt = now }, cancellationToken)
                .ConfigureAwait(false);
        }

        DateTimeOffset keptUntil = run.SessionExpiresAt ?? now;
        RunError lost = new(ErrorCodes.TurnMissing, "The prompt of this turn was not stored (the control plane stopped while accepting it); send it again.",
            Phases.Turn, true);
        await FinishAsync(input, TurnStatuses.Failed, AgentPart.None, lost, keptUntil, durable, cancellationToken).ConfigureAwait(false);
        return new TurnOutcome(input.Turn, SessionAlive: true, keptUntil.UtcDateTime);
    }

    /// <summary>Marks the turn running and fixes its OpenCode message id before anything is posted.</summary>
    private async Task<(TurnRecord Turn, bool FirstAttempt)> StartTurnAsync(TurnInput input, CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();
        bool first = false;
        TurnRecord turn = await turns.UpdateAsync(input.RunId, input.Turn, t =>
        {
            first = t.UserMessageId is null;
            return first ? t with { Status = TurnStatuses.Running, StartedAt = now, UserMessageId = OpenCodeIds.UserMessageId(input.RunId, input.Turn, now) } : null;
        }, cancellationToken).ConfigureAwait(false);
        return (turn, first);
    }

    private async Task<string> WriteTaskFileAsync(ISandbox sandbox, TurnInput input, CancellationToken cancellationToken)
    {
        string prompt = await prompts.GetAsync(input.RunId, input.Turn, cancellationToken).ConfigureAwait(false);
        if (input.Turn == 1 && await prompts.GetContextAsync(input.RunId, cancellationToken).ConfigureAwait(false) is { } inherited)
        {
            prompt = ContinuationContext.FirstTask(inherited, prompt);
        }

        string path = TaskFiles.PathFor(RepositoryWorkspace.PathIn(sandbox), input.Turn);
        await sandbox.WriteFileAsync(path, Encoding.UTF8.GetBytes(prompt), cancellationToken).ConfigureAwait(false);
        return path;
    }

    /// <summary>The agent's part of a turn that has more steps to run: results recorded, the turn and the run still running.</summary>
    private async Task RecordAgentResultAsync(TurnInput input, string? text, PatchStats stats, bool patchTruncated, Usage usage, CancellationToken cancellationToken)
    {
        await turns.UpdateAsync(input.RunId, input.Turn, t => t with { AssistantText = text, PatchStats = stats, Usage = usage }, cancellationToken)
            .ConfigureAwait(false);
        await progress.EndPhaseAsync(input.Run, Phases.Turn, input.Turn, PhaseOutcomes.Succeeded, run => RunUsage.CountTurn(run with
        {
            AssistantText = text ?? run.AssistantText,
            PatchStats = stats,
            PatchTruncated = patchTruncated,
            Error = null,
        }, input.Turn, usage), cancellationToken).ConfigureAwait(false);
    }

    private Task FinishAsync(
        TurnInput input, string status, AgentPart agent, RunError? error, DateTimeOffset? expiresAt, DurableTaskClient durable, CancellationToken cancellationToken) =>
        settler.SettleAsync(input.Run, input.Turn, new TurnEnding(status, error, expiresAt, agent), durable, cancellationToken);

    private static readonly RunError Cancelled = new(ErrorCodes.TurnCancelled, "The turn was cancelled by request; the session stays warm.", Phases.Turn, false);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Turn {Turn} of {RunId} {Status} in {TotalMs:0} ms: prepare {PrepareMs:0} ms, agent {AgentMs:0} ms, finish {FinishMs:0} ms")]
    private static partial void LogTiming(ILogger logger, int turn, string runId, string status, double totalMs, double prepareMs, double agentMs, double finishMs);

    private static string? Clip(string? text) => text is { Length: > MaxStoredTextLength } ? text[..MaxStoredTextLength] : text;
}
