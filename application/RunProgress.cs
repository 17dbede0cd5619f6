using CodingAgent.Model;
using CodingAgent.Storage;

using CodingAgent.Application.Telemetry;

namespace CodingAgent.Application;

/// <summary>
/// How activities record progress: every change of a run's status or phase goes to the run record and, as an
/// event, to the run's log, so a client polling or streaming sees the same story.
/// </summary>
public sealed class RunProgress(RunStore runs, EventLog events, TimeProvider time)
{
    public Task<RunRecord?> GetAsync(RunKey run, CancellationToken cancellationToken) =>
        runs.GetAsync(run, cancellationToken);

    /// <summary>Opens a phase; <paramref name="change"/> may change the run in the same write.</summary>
    public async Task<RunRecord> BeginPhaseAsync(
        RunKey run, string phase, int? turn, string? status, CancellationToken cancellationToken, Func<RunRecord, RunRecord>? change = null)
    {
        DateTimeOffset now = time.GetUtcNow();
        string? statusBefore = null;
        RunRecord record = await runs.UpdateAsync(run, current =>
        {
            statusBefore = current.Status;
            RunRecord changed = change?.Invoke(current) ?? current;
            return changed with { Status = status ?? current.Status, Phases = Opened(current.Phases, phase, turn, now), UpdatedAt = now };
        }, cancellationToken).ConfigureAwait(false);

        List<RunEventDraft> drafts = [OpenedDraft(phase, turn)];
        if (status is not null && status != statusBefore)
        {
            drafts.Add(StatusDraft(record, turn ?? 0));
        }

        await events.AppendAsync(run.RunId, drafts, cancellationToken).ConfigureAwait(false);
        return record;
    }

    /// <summary>
    /// Closes a phase; <paramref name="change"/> may change the run in the same write (status, results). A status event is
    /// logged when the status changed, or always with <paramref name="reportStatus"/> (the end of a turn is news even when
    /// the next queued turn keeps the run running).
    /// </summary>
    public async Task<RunRecord> EndPhaseAsync(
        RunKey run, string phase, int? turn, string outcome, Func<RunRecord, RunRecord>? change, CancellationToken cancellationToken) =>
        await EndPhaseAsync(run, phase, turn, outcome, reportStatus: false, change, cancellationToken).ConfigureAwait(false);

    public async Task<RunRecord> EndPhaseAsync(
        RunKey run, string phase, int? turn, string outcome, bool reportStatus, Func<RunRecord, RunRecord>? change,
        CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();
        string? statusBefore = null;
        RunRecord record = await runs.UpdateAsync(run, current =>
        {
            statusBefore = current.Status;
            RunRecord changed = change?.Invoke(current) ?? current;
            return changed with { Phases = Closed(current.Phases, phase, turn, outcome, now), UpdatedAt = now };
        }, cancellationToken).ConfigureAwait(false);
        RunMetrics.PhaseClosed(record, phase, turn, outcome);

        List<RunEventDraft> drafts = [ClosedDraft(record, phase, turn, outcome)];
        if (reportStatus || record.Status != statusBefore)
        {
            drafts.Add(StatusDraft(record, turn ?? 0));
        }

        await events.AppendAsync(run.RunId, drafts, cancellationToken).ConfigureAwait(false);
        return record;
    }

    /// <summary>
    /// Closes <paramref name="phase"/> as succeeded and opens <paramref name="nextPhase"/> in one write of the run and one batch
    /// of events (steps that follow each other in one activity need not pay for two).
    /// </summary>
    public async Task<RunRecord> HandOverPhaseAsync(
        RunKey run, string phase, Func<RunRecord, RunRecord>? change, string nextPhase, CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();
        string? statusBefore = null;
        RunRecord record = await runs.UpdateAsync(run, current =>
        {
            statusBefore = current.Status;
            RunRecord changed = change?.Invoke(current) ?? current;
            return changed with { Phases = Opened(Closed(current.Phases, phase, null, Succeeded, now), nextPhase, null, now), UpdatedAt = now };
        }, cancellationToken).ConfigureAwait(false);
        RunMetrics.PhaseClosed(record, phase, null, Succeeded);

        List<RunEventDraft> drafts = [ClosedDraft(record, phase, null, Succeeded), OpenedDraft(nextPhase, null)];
        if (record.Status != statusBefore)
        {
            drafts.Add(StatusDraft(record, 0));
        }

        await events.AppendAsync(run.RunId, drafts, cancellationToken).ConfigureAwait(false);
        return record;
    }

    /// <summary>Runs <paramref name="body"/> as a phase: begun before, closed after with its outcome, failed and rethrown on error.</summary>
    public async Task<T> RunPhaseAsync<T>(
        RunKey run, string phase, int? turn, string? status,
        Func<RunRecord, Task<(T Result, Func<RunRecord, RunRecord>? Change)>> body, CancellationToken cancellationToken)
    {
        RunRecord begun = await BeginPhaseAsync(run, phase, turn, status, cancellationToken).ConfigureAwait(false);
        (T result, Func<RunRecord, RunRecord>? change) outcome;
        try
        {
            outcome = await body(begun).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            await EndPhaseAsync(run, phase, turn, Failed, null, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        await EndPhaseAsync(run, phase, turn, Succeeded, outcome.change, cancellationToken).ConfigureAwait(false);
        return outcome.result;
    }

    /// <summary>Changes the run outside any phase and logs its status, changed or not (a turn settling is news either way).</summary>
    public async Task<RunRecord> ReportAsync(RunKey run, int turn, Func<RunRecord, RunRecord> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        DateTimeOffset now = time.GetUtcNow();
        RunRecord record = await runs.UpdateAsync(run, current => change(current) with { UpdatedAt = now }, cancellationToken).ConfigureAwait(false);
        await events.AppendAsync(run.RunId, [StatusDraft(record, turn)], cancellationToken).ConfigureAwait(false);
        return record;
    }

    public Task AppendAsync(string runId, IReadOnlyList<RunEventDraft> drafts, CancellationToken cancellationToken) =>
        events.AppendAsync(runId, drafts, cancellationToken);

    public Task<RunRecord> UpdateAsync(RunKey run, Func<RunRecord, RunRecord?> mutate, CancellationToken cancellationToken) =>
        runs.UpdateAsync(run, mutate, cancellationToken);

    private static List<PhaseRecord> Opened(IReadOnlyList<PhaseRecord> phases, string phase, int? turn, DateTimeOffset now) =>
        KeepRecent([.. phases.Where(p => !(p.Name == phase && p.Turn == turn)), new PhaseRecord(phase, Running, now, null, turn)]);

    private static List<PhaseRecord> Closed(IReadOnlyList<PhaseRecord> phases, string phase, int? turn, string outcome, DateTimeOffset now) =>
        [.. phases.Select(p => p.Name == phase && p.Turn == turn && p.DurationMs is null
            ? p with { Status = outcome, DurationMs = (long)(now - p.StartedAt).TotalMilliseconds }
            : p)];

    private static RunEventDraft OpenedDraft(string phase, int? turn) =>
        new(turn ?? 0, RunEventTypes.Phase, $"phase:{phase}:{turn}:{Running}", new { name = phase, status = Running });

    private static RunEventDraft ClosedDraft(RunRecord run, string phase, int? turn, string outcome)
    {
        PhaseRecord? closed = run.Phases.LastOrDefault(p => p.Name == phase && p.Turn == turn);
        return new(turn ?? 0, RunEventTypes.Phase, $"phase:{phase}:{turn}:{outcome}", new { name = phase, status = outcome, durationMs = closed?.DurationMs });
    }

    /// <summary>
    /// The run record keeps the phases of its last <see cref="TurnsWithPhases"/> turns (and every phase outside a turn), so
    /// a long session's record stays far below a table entity's size limit; the event log keeps every phase.
    /// </summary>
    public static List<PhaseRecord> KeepRecent(List<PhaseRecord> phases)
    {
        int newest = phases.Max(p => p.Turn ?? 0);
        return phases.Where(p => p.Turn is null || p.Turn > newest - TurnsWithPhases).ToList();
    }

    public const int TurnsWithPhases = 20;

    public const string Running = PhaseOutcomes.Running;

    public const string Succeeded = PhaseOutcomes.Succeeded;

    public const string Failed = PhaseOutcomes.Failed;

    public static RunEventDraft StatusDraft(RunRecord run, int turn) => new(
        turn,
        RunEventTypes.RunStatus,
        $"status:{run.Status}:{run.CurrentTurn}:{run.SessionActive}",
        new { status = run.Status, sessionActive = run.SessionActive, sessionExpiresAt = run.SessionExpiresAt, currentTurn = run.CurrentTurn });
}
