using System.Globalization;
using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using CodingAgent.Bench.Harness;

namespace CodingAgent.Bench.Figures;

/// <summary>
/// P1: a warm follow-up through our API (POST → the idle status on the stream) ÷ the same prompt posted straight to an
/// <c>opencode serve</c> with the same model (POST → <c>session.idle</c>). Interleaved, so drift hits both alike.
/// </summary>
public static partial class WarmTurnOverhead
{
    /// <param name="hostOutput">The self-host's recent output, where the turn activity logs its own timing.</param>
    public static async Task<Figure> MeasureAsync(RunClient api, string runId, DirectOpenCode direct, string backend, int turns, Func<string> hostOutput)
    {
        List<double> ours = [], theirs = [], inline = [], turnPhase = [];
        int firstTurn = (int)(await api.GetRunAsync(runId))["run"]!["currentTurn"]! + 1;
        for (int i = 0; i <= turns; i++)
        {
            string prompt = $"write warm{i}.txt: turn {i}\nsay Done {i}.";
            double baseline = (await direct.TaskFileTurnAsync(prompt)).TotalMilliseconds;
            double through = await TurnAsync(api, runId, firstTurn + i, prompt);
            double posted = (await direct.TurnAsync(prompt)).TotalMilliseconds;
            if (i > 0)
            {
                theirs.Add(baseline);
                ours.Add(through);
                inline.Add(posted);
            }
        }

        foreach (JsonNode? phase in (await api.GetRunAsync(runId))["run"]!["phases"]!.AsArray())
        {
            if ((string)phase!["name"]! == "turn" && (int?)phase["turn"] > firstTurn)
            {
                turnPhase.Add((double)phase["durationMs"]!);
            }
        }

        Sample our = new(ours), base_ = new(theirs), direct_ = new(inline), activity = new(turnPhase);
        List<(double Prepare, double Agent, double Finish)> split = [.. TimingLine().Matches(hostOutput())
            .Where(m => m.Groups["run"].Value == runId && int.Parse(m.Groups["turn"].Value, CultureInfo.InvariantCulture) > firstTurn)
            .Select(m => (Ms(m, "prepare"), Ms(m, "agent"), Ms(m, "finish")))];
        double ratio = our.Median / base_.Median;
        return new Figure("P1", "warm turn: our API ÷ OpenCode direct", backend, our.Describe("ms"), base_.Describe("ms"), ratio, "≤ 1.05", ratio <= 1.05,
        [
            $"ours: POST /messages → `run.status` idle for that turn on an already-open SSE stream; {turns} turns after one warm-up",
            "baseline: the same turn as we hand it to OpenCode (task file + the same instruction), POST prompt_async → `session.idle`",
            $"difference of medians: {Sample.Format(our.Median - base_.Median)} ms per turn; the turn activity itself (phase `turn`): {activity.Describe("ms")}",
            $"the task file costs OpenCode one more step: the prompt posted inline takes {direct_.Describe("ms")}",
            split.Count == 0 ? "no timing lines from the turn activity" :
                $"inside the activity: prepare {new Sample([.. split.Select(s => s.Prepare)]).Describe("ms")}, agent (the OpenCode driver) "
                + $"{new Sample([.. split.Select(s => s.Agent)]).Describe("ms")}, finish (git stats, diff, patch, records) {new Sample([.. split.Select(s => s.Finish)]).Describe("ms")}",
        ]);
    }

    public static async Task<double> TurnAsync(RunClient api, string runId, int turn, string prompt)
    {
        long after = await api.LastSeqAsync(runId);
        await using RunStream stream = await api.OpenStreamAsync(runId, after);
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        int accepted = await api.PostMessageAsync(runId, prompt);
        if (accepted != turn)
        {
            throw new InvalidOperationException($"Expected turn {turn}, the API numbered it {accepted}.");
        }

        await stream.WaitForStatusAsync(s => (string)s["status"]! == "idle" && (int)s["currentTurn"]! == turn);
        return Clock.MillisecondsSince(started);
    }

    private static double Ms(Match match, string group) => double.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"Turn (?<turn>\d+) of (?<run>run_\w+) \w+ in \d+ ms: prepare (?<prepare>\d+) ms, agent (?<agent>\d+) ms, finish (?<finish>\d+) ms")]
    private static partial Regex TimingLine();
}
