using System.Globalization;
using System.Text;
using CodingAgent.Model;
using CodingAgent.Storage;

namespace CodingAgent.Application;

/// <summary>
/// The conversation a <c>continueFrom</c> run starts with: the previous run's own inherited context, then each of its
/// turns (prompt and final text). Kept to a budget, newest turns first, so long chains stay within a prompt's size.
/// </summary>
public sealed class ContinuationContext(TurnStore turns, PromptStore prompts)
{
    private const int Budget = 60_000;
    private const int MaxPartLength = 20_000;

    public async Task<string> ComposeAsync(RunRecord previous, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(previous);
        List<string> sections = [];
        int used = 0;
        foreach (TurnRecord turn in (await turns.ListAsync(previous.RunId, cancellationToken).ConfigureAwait(false)).OrderByDescending(t => t.Turn))
        {
            string prompt = await prompts.GetAsync(previous.RunId, turn.Turn, cancellationToken).ConfigureAwait(false);
            string answer = turn.AssistantText ?? $"(no final text; the turn ended {turn.Status})";
            string number = turn.Turn.ToString(CultureInfo.InvariantCulture);
            string section = $"### Turn {number}: request\n{Clip(prompt)}\n\n### Turn {number}: result\n{Clip(answer)}\n";
            if (used + section.Length > Budget)
            {
                break;
            }

            sections.Insert(0, section);
            used += section.Length;
        }

        string? inherited = await prompts.GetContextAsync(previous.RunId, cancellationToken).ConfigureAwait(false);
        StringBuilder context = new();
        context.Append(CultureInfo.InvariantCulture,
            $"This task continues the earlier run {previous.RunId} on the same repository. Its code changes are not in this checkout. ");
        context.Append("The conversation so far:\n\n");
        if (inherited is not null && used + inherited.Length <= Budget)
        {
            context.Append(inherited).Append('\n');
        }

        foreach (string section in sections)
        {
            context.Append(section).Append('\n');
        }

        return context.ToString();
    }

    /// <summary>What the agent reads for the first turn of a continuing run: the context, then the new request.</summary>
    public static string FirstTask(string context, string prompt) => $"{context}\n## The new request\n{prompt}";

    private static string Clip(string text) => text.Length > MaxPartLength ? text[..MaxPartLength] + "\n…(clipped)" : text;
}
