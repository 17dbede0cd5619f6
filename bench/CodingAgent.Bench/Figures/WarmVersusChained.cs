using CodingAgent.Bench.Harness;
using CodingAgent.Tests.Support.ScriptedModel;

namespace CodingAgent.Bench.Figures;

/// <summary>
/// P2: time until the agent asks the model about a new prompt — a follow-up on the warm session ÷ a <c>continueFrom</c>
/// run (new sandbox, clone, OpenCode boot). "The agent receives the prompt" is the first model request after the POST.
/// </summary>
public static class WarmVersusChained
{
    public static async Task<Figure> MeasureAsync(
        RunClient api, ScriptedModelServer model, string warmRunId, IReadOnlyList<string> endedRunIds, string backend, int warmSamples)
    {
        List<double> warm = [], chained = [];
        int turn = (int)(await api.GetRunAsync(warmRunId))["run"]!["currentTurn"]!;
        for (int i = 0; i < warmSamples; i++)
        {
            turn++;
            int seen = model.Requests.Count;
            DateTimeOffset posted = Clock.Now;
            long after = await api.LastSeqAsync(warmRunId);
            await using RunStream stream = await api.OpenStreamAsync(warmRunId, after);
            await api.PostMessageAsync(warmRunId, $"say Warm {i}.");
            warm.Add(await FirstModelRequestAsync(model, seen, posted));
            int current = turn;
            await stream.WaitForStatusAsync(s => (string)s["status"]! == "idle" && (int)s["currentTurn"]! == current);
        }

        foreach (string previous in endedRunIds)
        {
            int seen = model.Requests.Count;
            DateTimeOffset posted = Clock.Now;
            string next = await api.CreateAsync(new { continueFrom = previous, prompt = "say Chained.", modelId = "scripted/model" });
            chained.Add(await FirstModelRequestAsync(model, seen, posted));
            await using RunStream stream = await api.OpenStreamAsync(next, 0);
            await stream.WaitForStatusAsync(s => (string)s["status"]! == "idle");
            await api.EndAsync(next);
        }

        Sample w = new(warm), c = new(chained);
        double ratio = w.Median / c.Median;
        return new Figure("P2", "prompt reaches the agent: warm ÷ continueFrom", backend, w.Describe("ms"), c.Describe("ms"), ratio, "≤ 0.10", ratio <= 0.10,
            ["measured from the POST to the first model request that follows it (the scripted model records arrival times)"]);
    }

    private static async Task<double> FirstModelRequestAsync(ScriptedModelServer model, int seen, DateTimeOffset posted)
    {
        using CancellationTokenSource limit = new(TimeSpan.FromMinutes(2));
        while (true)
        {
            IReadOnlyList<ModelRequestRecord> requests = model.Requests;
            if (requests.Skip(seen).FirstOrDefault(r => r.HadTools) is { } first)
            {
                return (first.ReceivedAt - posted).TotalMilliseconds;
            }

            await Task.Delay(5, limit.Token);
        }
    }
}
