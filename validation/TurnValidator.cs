using System.Globalization;
using CodingAgent.Model;
using CodingAgent.Configuration;
using CodingAgent.Repositories;
using CodingAgent.Sandboxes;
using Microsoft.Extensions.Options;

namespace CodingAgent.Validation;

/// <summary>
/// Runs a turn's validation in the sandbox and turns what happened into a verdict: <c>basic</c> is <c>git diff --check</c>
/// plus the build, <c>tests</c> the test command; a failure is compared with the same command on the base commit.
/// </summary>
public sealed class TurnValidator(IOptions<ValidationOptions> options, TimeProvider time)
{
    private const int CommandNotFound = 127;
    private const string DiffCheck = "git diff --check";

    public async Task<ValidationVerdict> ValidateAsync(ISandbox sandbox, RunRecord run, int turn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        ArgumentNullException.ThrowIfNull(run);
        string repo = RepositoryWorkspace.PathIn(sandbox);
        RepositoryFacts facts = string.IsNullOrWhiteSpace(run.ValidationCommand)
            ? await RepositoryFacts.ReadAsync(sandbox, repo, cancellationToken).ConfigureAwait(false)
            : RepositoryFacts.Empty;
        string? command = ValidationCommands.For(run.ValidationMode, facts, run.ValidationCommand);

        long diffCheckMs = 0;
        if (run.ValidationMode == ValidationModes.Basic)
        {
            long started = time.GetTimestamp();
            CommandResult check = await RepositoryWorkspace.DiffCheckAsync(sandbox, run.BaseSha!, cancellationToken).ConfigureAwait(false);
            diffCheckMs = (long)time.GetElapsedTime(started).TotalMilliseconds;
            if (!check.Succeeded)
            {
                return Verdict(run, turn, DiffCheck, check, diffCheckMs, "The change has whitespace errors or leftover conflict markers.");
            }
        }

        if (command is null)
        {
            return run.ValidationMode == ValidationModes.Basic
                ? new ValidationVerdict(turn, run.ValidationMode, ValidationStatuses.Passed, DiffCheck, 0, diffCheckMs, null,
                    Reason: "No build was detected; only the diff was checked. Set validation.command to build.")
                : new ValidationVerdict(turn, run.ValidationMode, ValidationStatuses.Skipped, null, null, 0, null,
                    Reason: "No test command was detected at the repository's root; set validation.command.");
        }

        (CommandResult result, long durationMs) = await RunAsync(sandbox, command, repo, Timeout(run), cancellationToken).ConfigureAwait(false);
        string shown = run.ValidationMode == ValidationModes.Basic ? $"{DiffCheck} && {command}" : command;
        return Verdict(run, turn, shown, result, durationMs + diffCheckMs, null) with { Command = shown };
    }

    /// <summary>The command the verdict's status came from (the build or tests, not the diff check).</summary>
    public static string? BaselineCommandOf(RunRecord run, ValidationVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(verdict);
        if (verdict.Command is null || verdict.Command == DiffCheck)
        {
            return null;
        }

        return verdict.Command.StartsWith(DiffCheck + " && ", StringComparison.Ordinal) ? verdict.Command[(DiffCheck.Length + 4)..] : verdict.Command;
    }

    /// <summary>The same command on the base commit, in a throwaway worktree beside the checkout (the agent's files are not touched).</summary>
    public async Task<ValidationBaseline> BaselineAsync(ISandbox sandbox, RunRecord run, string command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        ArgumentNullException.ThrowIfNull(run);
        string worktree = sandbox.HomePath + "/.coding-agent-baseline";
        await RepositoryWorkspace.AddWorktreeAsync(sandbox, worktree, run.BaseSha!, cancellationToken).ConfigureAwait(false);
        try
        {
            (CommandResult result, long durationMs) = await RunAsync(sandbox, command, worktree, Timeout(run), cancellationToken).ConfigureAwait(false);
            return new ValidationBaseline(run.BaseSha!, command, StatusOf(result), result.TimedOut ? null : result.ExitCode, durationMs);
        }
        finally
        {
            await RepositoryWorkspace.RemoveWorktreeAsync(sandbox, worktree, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private ValidationVerdict Verdict(RunRecord run, int turn, string command, CommandResult result, long durationMs, string? reason)
    {
        string status = StatusOf(result);
        reason ??= status switch
        {
            ValidationStatuses.Error when result.TimedOut => $"Timed out after {Timeout(run).TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s.",
            ValidationStatuses.Error => "The command was not found in the sandbox.",
            _ => null,
        };
        return new ValidationVerdict(turn, run.ValidationMode, status, command, result.TimedOut ? null : result.ExitCode, durationMs,
            Tail(result.Stdout + result.Stderr), result.TimedOut, Reason: reason);
    }

    private static string StatusOf(CommandResult result) => result switch
    {
        { TimedOut: true } => ValidationStatuses.Error,
        { ExitCode: 0 } => ValidationStatuses.Passed,
        { ExitCode: CommandNotFound } => ValidationStatuses.Error,
        _ => ValidationStatuses.Failed,
    };

    private async Task<(CommandResult Result, long DurationMs)> RunAsync(
        ISandbox sandbox, string command, string workingDirectory, TimeSpan timeout, CancellationToken cancellationToken)
    {
        long started = time.GetTimestamp();
        // One stream, in the order the command wrote it; the newline lets a command end in a comment.
        CommandResult result = await sandbox.RunAsync(new CommandSpec($"{{ {command}\n}} 2>&1", workingDirectory, Timeout: timeout), cancellationToken)
            .ConfigureAwait(false);
        return (result, (long)time.GetElapsedTime(started).TotalMilliseconds);
    }

    private TimeSpan Timeout(RunRecord run) =>
        TimeSpan.FromSeconds(run.ValidationTimeoutSeconds > 0 ? run.ValidationTimeoutSeconds : options.Value.TimeoutSeconds);

    private string? Tail(string output)
    {
        string trimmed = output.TrimEnd();
        int keep = options.Value.OutputTailCharacters;
        if (trimmed.Length == 0)
        {
            return null;
        }

        if (trimmed.Length <= keep)
        {
            return trimmed;
        }

        string tail = trimmed[^keep..];
        int lineStart = tail.IndexOf('\n', StringComparison.Ordinal);
        return lineStart >= 0 && lineStart < tail.Length - 1 ? tail[(lineStart + 1)..] : tail;
    }
}
