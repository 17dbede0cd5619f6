using System.Globalization;
using System.Text;
using CodingAgent.Model;

namespace CodingAgent.Publishing;

/// <summary>The words that leave the sandbox with a publish: the commit message and the draft pull request's title and body.</summary>
public static class PublishTexts
{
    private const int SubjectLength = 72;
    private const int TitleLength = 100;
    private const int SummaryLength = 4000;

    /// <summary>Subject from the prompt's first line, body the agent's summary, trailers naming the run and turn.</summary>
    public static string CommitMessage(RunRecord run, TurnRecord turn, string prompt)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(turn);
        StringBuilder message = new();
        message.Append(FirstLine(prompt, SubjectLength)).Append("\n\n");
        if (turn.AssistantText is { Length: > 0 } text)
        {
            message.Append(Clip(text.Trim(), SummaryLength)).Append("\n\n");
        }

        message.Append(CultureInfo.InvariantCulture, $"Coding-Agent-Run: {run.RunId}\nCoding-Agent-Turn: {turn.Turn}\n");
        return message.ToString();
    }

    public static string PullRequestTitle(string prompt) => FirstLine(prompt, TitleLength);

    public static string PullRequestBody(RunRecord run, TurnRecord turn, string? runLink)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(turn);
        StringBuilder body = new();
        body.Append("## Summary\n\n").Append(turn.AssistantText is { Length: > 0 } text ? Clip(text.Trim(), SummaryLength) : "_The agent gave no summary._").Append("\n\n");
        body.Append("## Validation\n\n").Append(Verdict(turn.Validation, run.ValidationMode)).Append("\n\n");
        body.Append("---\n").Append(CultureInfo.InvariantCulture, $"Opened by the Coding Agent API, run `{run.RunId}`, turn {turn.Turn}");
        body.Append(runLink is null ? "." : $": {runLink}");
        body.Append("\nFollow-up prompts to the run push more commits to this branch.\n");
        return body.ToString();
    }

    private static string Verdict(ValidationVerdict? verdict, string mode)
    {
        if (mode == ValidationModes.Minimal || verdict is null)
        {
            return mode == ValidationModes.Minimal ? "Not validated (`validationMode: minimal`)." : "No verdict (the validation step did not finish).";
        }

        string line = verdict.Status switch
        {
            ValidationStatuses.Passed => $"**passed**: `{verdict.Command}`",
            ValidationStatuses.Failed when verdict.PreExisting => $"**failed, pre-existing**: `{verdict.Command}` fails on the base commit too (exit {verdict.Baseline?.ExitCode}).",
            ValidationStatuses.Failed => $"**failed**: `{verdict.Command}` exited with {verdict.ExitCode}.",
            ValidationStatuses.Skipped => $"**skipped**: {verdict.Reason}",
            _ => $"**error**: {verdict.Reason}",
        };
        return verdict.Status is ValidationStatuses.Failed && verdict.OutputTail is { Length: > 0 } tail
            ? $"{line}\n\n<details><summary>Output (end)</summary>\n\n```\n{Clip(tail, 2000)}\n```\n</details>"
            : line;
    }

    private static string FirstLine(string text, int length)
    {
        string line = (text ?? string.Empty).Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "Changes by the coding agent";
        return line.Length <= length ? line : line[..(length - 1)].TrimEnd() + "…";
    }

    private static string Clip(string text, int length) => text.Length <= length ? text : text[..length] + "…";
}
