using System.Text.Json.Nodes;
using CodingAgent.Bench.Harness;
using CodingAgent.Tests.Support;

namespace CodingAgent.Bench.Figures;

/// <summary>P5: create → idle, split by phase; the control plane's own share is what no phase accounts for.</summary>
public static class ColdStart
{
    public static async Task<(Figure Figure, IReadOnlyList<string> RunIds)> MeasureAsync(RunClient api, TestRepository repo, string backend, int samples)
    {
        List<double> totals = [], gaps = [];
        Dictionary<string, List<double>> phases = [];
        List<string> runIds = [];
        for (int i = 0; i < samples; i++)
        {
            long started = System.Diagnostics.Stopwatch.GetTimestamp();
            string runId = await api.CreateAsync(new { repository = repo.Path, prompt = "write cold.txt: cold\nsay Ready.", modelId = "scripted/model" });
            await using (RunStream stream = await api.OpenStreamAsync(runId, 0))
            {
                await stream.WaitForStatusAsync(s => (string)s["status"]! == "idle");
            }

            double elapsed = Clock.MillisecondsSince(started);
            JsonNode run = (await api.GetRunAsync(runId))["run"]!;
            double inPhases = 0;
            foreach (JsonNode? phase in run["phases"]!.AsArray())
            {
                double duration = (double)phase!["durationMs"]!;
                inPhases += duration;
                string name = (string)phase["name"]!;
                (phases.TryGetValue(name, out List<double>? list) ? list : phases[name] = []).Add(duration);
            }

            totals.Add(elapsed);
            gaps.Add(elapsed - inPhases);
            runIds.Add(runId);
        }

        Sample total = new(totals);
        Sample gap = new(gaps);
        double share = gap.Median / total.Median;
        List<string> notes = [.. phases.Select(p => $"{p.Key}: {new Sample(p.Value).Describe("ms")}")];
        notes.Add($"between phases (durable dispatch, status writes, the client seeing idle): {gap.Describe("ms")}");
        return (new Figure("P5", "cold start: control-plane share of create → idle", backend,
            $"{Sample.Format(gap.Median)} ms control plane", $"{total.Describe("ms")} create → idle",
            share, "≤ 0.10", share <= 0.10, notes), runIds);
    }
}
