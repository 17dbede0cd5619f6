using Stopwatch = System.Diagnostics.Stopwatch;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using CodingAgent.Application;
using CodingAgent.Model;
using CodingAgent.Bench.Harness;
using CodingAgent.Configuration;
using CodingAgent.Storage;
using CodingAgent.Tests.Support;
using Microsoft.Extensions.Options;

namespace CodingAgent.Bench.Figures;

/// <summary>
/// P4: event appended → SSE client, and replay of a 10,000-event log. The baselines are the storage floor under them,
/// measured with the Tables SDK in the same run: one append transaction plus one read (latency), and a bare query of the
/// same 10,000 rows (throughput).
/// </summary>
public static class StreamFigures
{
    private const int ReplayEvents = 10_000;

    public static async Task<Figure> LatencyAsync(RunClient api, string runId, BenchEnvironment environment, string backend)
    {
        string script = string.Join('\n', Enumerable.Range(1, 30).Select(i => $"write live{i}.txt: line {i}")) + "\nsay Many files.";
        long after = await api.LastSeqAsync(runId);
        int turn = (int)(await api.GetRunAsync(runId))["run"]!["currentTurn"]! + 1;
        List<double> latencies = [];
        await using (RunStream stream = await api.OpenStreamAsync(runId, after))
        {
            await api.PostMessageAsync(runId, script);
            await stream.WaitForStatusAsync(s => (string)s["status"]! == "idle" && (int)s["currentTurn"]! == turn, message =>
            {
                if (message.Event == "builder.event" && message.ReceivedAt is { } received)
                {
                    latencies.Add((received - (DateTimeOffset)JsonNode.Parse(message.Data!)!["at"]!).TotalMilliseconds);
                }
            });
        }

        Sample floor = await StorageFloorAsync(environment);
        Sample ours = new(latencies);
        return new Figure("P4a", "event append → SSE client: ours ÷ storage floor", backend,
            $"median {Sample.Format(ours.Median)} ms, p95 {Sample.Format(ours.P95)} ms (n={latencies.Count})",
            $"{floor.Describe("ms")} append + read", ours.Median / floor.Median, "median ≤ 100 ms", ours.Median <= 100,
            ["latency = when the client read the event − the event's `at` (stamped just before its append transaction), same clock",
             "floor: one entity-group transaction (event + counter row) then one partition query, with the Tables SDK"]);
    }

    public static async Task<Figure> ReplayAsync(Uri host, BenchEnvironment environment, string key, string account, string backend)
    {
        StorageClients clients = Clients(environment);
        string runId = await SeededRun.CreateAsync(clients, account, ReplayEvents);

        using RunClient api = new(host, key);
        long started = Stopwatch.GetTimestamp();
        int received = 0;
        await using (RunStream stream = await api.OpenStreamAsync(runId, 0))
        {
            await stream.WaitForStatusAsync(s => (string)s["status"]! == RunStatuses.Completed, m => received += m.Event is null ? 0 : 1);
        }

        double ours = received / Stopwatch.GetElapsedTime(started).TotalSeconds;
        TableClient table = await clients.TableAsync(StorageNames.Events, CancellationToken.None);
        started = Stopwatch.GetTimestamp();
        int rows = 0;
        await foreach (TableEntity _ in table.QueryAsync<TableEntity>(e => e.PartitionKey == runId))
        {
            rows++;
        }

        double raw = rows / Stopwatch.GetElapsedTime(started).TotalSeconds;
        return new Figure("P4b", "replay of a 10,000-event log: ours ÷ bare table query", backend,
            $"{ours:0} events/s ({received} events)", $"{raw:0} rows/s", ours / raw, "≥ 10,000/s", ours >= 10_000,
            ["ours: GET /stream from seq 0 to the final status, parsed as SSE; baseline: the same partition read with the Tables SDK"]);
    }

    private static async Task<Sample> StorageFloorAsync(BenchEnvironment environment)
    {
        StorageClients clients = Clients(environment);
        EventLog log = new(clients, new EventLogSignals(), TimeProvider.System);
        string scratch = "floor-" + Guid.NewGuid().ToString("N");
        List<double> samples = [];
        for (int i = 1; i <= 30; i++)
        {
            long started = Stopwatch.GetTimestamp();
            await log.AppendAsync(scratch, [new RunEventDraft(1, RunEventTypes.AgentText, $"floor:{i}", new { text = "x" })], CancellationToken.None);
            await log.ReadAsync(scratch, i - 1, 1000, CancellationToken.None);
            samples.Add(Clock.MillisecondsSince(started));
        }

        return new Sample(samples);
    }

    private static StorageClients Clients(BenchEnvironment environment) => new(Options.Create(new StorageOptions { ConnectionString = environment.StorageConnectionString, NamePrefix = environment.NamePrefix }));
}
