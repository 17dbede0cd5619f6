using System.Globalization;
using System.Text;

namespace CodingAgent.Bench.Harness;

/// <summary>Prints the figures as a table and writes them, with their notes, to <c>docs/benchmarks.md</c>.</summary>
public static class Report
{
    public static string Markdown(IReadOnlyList<Figure> figures, string machine, TimeSpan took)
    {
        StringBuilder text = new();
        text.AppendLine("# Benchmarks").AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Latest run: {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC on {machine}; the whole run took {took.TotalMinutes:0.0} min.");
        text.AppendLine("Produced by `scripts/bench` (see README); every ratio divides our figure by a baseline measured in the same run.");
        text.AppendLine("Medians with (min–max, n). The scripted model answers instantly, so agent time is OpenCode's own work.").AppendLine();
        text.AppendLine("| id | figure | backend | ours | baseline | ratio | target | met |");
        text.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (Figure f in figures)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {f.Id} | {f.What} | {f.Backend} | {f.Ours} | {f.Baseline} | {Sample.Format(f.Ratio)} | {f.Target} | {(f.MeetsTarget ? "yes" : "**no**")} |");
        }

        text.AppendLine().AppendLine("## What the figures are made of").AppendLine();
        foreach (Figure f in figures.Where(f => f.Notes.Count > 0))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"**{f.Id} ({f.Backend})**");
            foreach (string note in f.Notes)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- {note}");
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    public static void Print(IReadOnlyList<Figure> figures)
    {
        foreach (Figure f in figures)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{f.Id,-3} {f.Backend,-13} ratio {Sample.Format(f.Ratio),7}  target {f.Target,-8} {(f.MeetsTarget ? "met" : "MISSED"),-6} ours {f.Ours} | baseline {f.Baseline}"));
        }
    }
}
