using System.Diagnostics;
using CodingAgent.Bench.Figures;
using CodingAgent.Bench.Harness;
using CodingAgent.Tests.Support;

// The control plane's cost, each figure against a baseline measured in this same run (issue: benchmarks).
// Usage: scripts/bench [--quick] [--no-write] [--no-idle | --idle-only | --queue-only]
bool quick = args.Contains("--quick");
bool idleCapacity = !args.Contains("--no-idle") && !args.Contains("--queue-only");
bool queueOnly = args.Contains("--queue-only");
bool idleOnly = args.Contains("--idle-only") || queueOnly;
bool write = !args.Contains("--no-write") && !args.Contains("--queue-only");
int warmTurns = quick ? 5 : 20;
int coldSamples = quick ? 2 : 3;
int[] idleCounts = quick ? [100] : [100, 1000];

Stopwatch took = Stopwatch.StartNew();
List<Figure> figures = [];
await using (BenchEnvironment environment = await BenchEnvironment.StartAsync())
{
    string key = await environment.CreateKeyAsync("bench");
    using TestRepository repo = TestRepository.Create();
    foreach (string backend in idleOnly ? Array.Empty<string>() : ["azurestorage", "memory"])
    {
        Console.WriteLine($"[{took.Elapsed:mm\\:ss}] {backend}: cold start, warm turns, warm vs chained");
        await using SelfHostProcess host = await SelfHostProcess.StartAsync(environment.Settings(backend));
        using RunClient api = new(host.BaseUrl, key);
        (Figure cold, IReadOnlyList<string> runIds) = await ColdStart.MeasureAsync(api, repo, backend, coldSamples);
        figures.Add(cold);
        await using (DirectOpenCode direct = await DirectOpenCode.StartAsync(environment, repo))
        {
            figures.Add(await WarmTurnOverhead.MeasureAsync(api, runIds[0], direct, backend, warmTurns, () => host.RecentOutput));
        }

        foreach (string ended in runIds.Skip(1))
        {
            await EndAndWaitAsync(api, ended);
        }

        figures.Add(await WarmVersusChained.MeasureAsync(api, environment.Model, runIds[0], [.. runIds.Skip(1)], backend, quick ? 3 : 5));
        if (backend == "azurestorage")
        {
            Console.WriteLine($"[{took.Elapsed:mm\\:ss}] stream latency and replay");
            figures.Add(await StreamFigures.LatencyAsync(api, runIds[0], environment, "Tables on Azurite"));
            figures.Add(await StreamFigures.ReplayAsync(host.BaseUrl, environment, key, "bench", "Tables on Azurite"));
        }

        // Waited for, so its teardown stops its OpenCode before the host goes (a sandbox outlives a killed control plane).
        await EndAndWaitAsync(api, runIds[0]);
    }

    if (!args.Contains("--idle-only"))
    {
        Console.WriteLine($"[{took.Elapsed:mm\\:ss}] azurestorage: queue door throughput");
        figures.Add(await QueueThroughput.MeasureAsync(environment, "azurestorage"));
    }

    foreach (string backend in idleCapacity ? ["azurestorage", "memory"] : Array.Empty<string>())
    {
        Console.WriteLine($"[{took.Elapsed:mm\\:ss}] {backend}: idle capacity");
        figures.AddRange(await IdleCapacity.MeasureAsync(environment, backend, idleCounts, took));
    }
}

took.Stop();
Report.Print(figures);
if (write)
{
    string path = Path.Combine(RepoRoot.Path, "docs", "benchmarks.md");
    await File.WriteAllTextAsync(path, Report.Markdown(figures, MachineDescription(), took.Elapsed));
    Console.WriteLine($"wrote {path}");
}

static async Task EndAndWaitAsync(RunClient api, string runId)
{
    await using RunStream stream = await api.OpenStreamAsync(runId, await api.LastSeqAsync(runId));
    await api.EndAsync(runId);
    await stream.WaitForStatusAsync(s => (string)s["status"]! == "completed");
}

static string MachineDescription()
{
    string memory = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal", StringComparison.Ordinal));
    long kib = long.Parse(memory.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
    return $"{Environment.ProcessorCount} cores, {kib / 1024 / 1024} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}";
}
