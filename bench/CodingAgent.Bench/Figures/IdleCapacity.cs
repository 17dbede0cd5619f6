using System.Diagnostics;
using System.Globalization;
using CodingAgent.Bench.Harness;
using CodingAgent.Tests.Support;

namespace CodingAgent.Bench.Figures;

/// <summary>
/// P3: what N idle runs cost one self-host — resident memory and CPU while nothing happens — against the same self-host
/// holding no run, measured just before. Runs use the benchmark-only sandbox provider (no OpenCode process), so this is
/// the control plane alone: the durable engine, storage polling and our own state.
/// </summary>
public static class IdleCapacity
{
    // CPU ticks are 10 ms, so a 10 s window resolves 0.1 % of a core — ten times finer than the 1 % target.
    private static readonly TimeSpan IdleWindow = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan SettleAfterStart = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(8);

    // Creation is bound by the latency of each run's chain of durable steps, not by CPU (neither Azurite process nor the
    // host saturates a core with 8 clients), so many clients in flight fill the pipeline.
    private const int CreatingClients = 32;

    /// <summary>
    /// One self-host per backend, on storage names of its own: measured empty, then grown to each count in turn
    /// (100, then 900 more for 1,000), measured idle after each.
    /// </summary>
    public static async Task<IReadOnlyList<Figure>> MeasureAsync(BenchEnvironment environment, string backend, IReadOnlyList<int> counts, Stopwatch took)
    {
        string namePrefix = "i" + backend[..3] + environment.NamePrefix[1..];
        Dictionary<string, string> settings = environment.Settings(backend, sandboxProvider: "benchmark", namePrefix: namePrefix);
        await using SelfHostProcess host = await SelfHostProcess.StartAsync(settings);
        string key = await environment.CreateKeyAsync("idle" + backend, namePrefix);
        using RunClient api = new(host.BaseUrl, key);
        using TestRepository repo = TestRepository.Create();
        (double emptyRss, double emptyCpu) = await SampleIdleAsync(host.ProcessId, SettleAfterStart);

        List<Figure> figures = [];
        int held = 0;
        foreach (int count in counts)
        {
            long created = Stopwatch.GetTimestamp();
            await Parallel.ForEachAsync(Enumerable.Range(held, count - held), new ParallelOptions { MaxDegreeOfParallelism = CreatingClients }, async (i, _) =>
                await api.CreateAsync(new { repository = repo.Path, prompt = $"say Idle {i}.", modelId = "scripted/model", session = new { idleTimeoutSeconds = 86_400 } }));
            await WaitAllIdleAsync(api, count);
            double toIdle = Stopwatch.GetElapsedTime(created).TotalSeconds;
            Console.WriteLine($"[{took.Elapsed:mm\\:ss}]   {count} runs idle ({count - held} created in {toIdle:0.0} s)");

            (double fullRss, double fullCpu) = await SampleIdleAsync(host.ProcessId, Settle);
            double extraMb = fullRss - emptyRss;
            double extraCpu = fullCpu - emptyCpu;
            // The target is on what the runs add; the empty host's own CPU is its queue polling (see the note).
            bool meets = count < 1000 || (extraMb <= 300 && extraCpu < 1.0);
            figures.Add(new Figure($"P3", $"{count} idle runs: RSS with ÷ without", backend,
                $"{fullRss:0} MB RSS, {fullCpu:0.00} % CPU", $"{emptyRss:0} MB RSS, {emptyCpu:0.00} % CPU with no run",
                fullRss / emptyRss, count >= 1000 ? "+≤ 300 MB, +< 1 % CPU" : "(1,000 is the target)", meets,
                [$"{count} idle runs add {extraMb:0} MB and {extraCpu:+0.00;-0.00} percentage points of one core (CPU over {IdleWindow.TotalSeconds:0} s idle, {Settle.TotalSeconds:0} s after the last change)",
                 backend == "azurestorage"
                    ? "the empty host's own CPU is mostly the Azure Storage provider polling its control and work-item queues (every 500 ms when idle: CodingAgent__Durable__MaxQueuePollingIntervalMilliseconds, where a longer interval costs less idle CPU and adds up to that interval to a durable step) and renewing its leases"
                    : "with the in-memory engine nothing polls storage while idle",
                 $"creating {count - held} of them and reaching idle took {toIdle:0.0} s ({CreatingClients} concurrent clients)"]));
            held = count;
        }

        return figures;
    }

    private static async Task WaitAllIdleAsync(RunClient api, int count)
    {
        using CancellationTokenSource limit = new(TimeSpan.FromMinutes(8));
        while (true)
        {
            int idle = 0;
            string? cursor = null;
            do
            {
                System.Text.Json.Nodes.JsonNode page = await api.ListAsync($"status=idle&limit=100{(cursor is null ? string.Empty : "&cursor=" + cursor)}");
                idle += page["runs"]!.AsArray().Count;
                cursor = (string?)page["nextCursor"];
            }
            while (cursor is not null);

            if (idle >= count)
            {
                return;
            }

            // Every list is a table scan on Azurite; polling often would slow down what it waits for.
            await Task.Delay(TimeSpan.FromSeconds(3), limit.Token);
        }
    }

    /// <summary>Resident memory (MB) now, and the process's CPU use (% of one core) over the idle window.</summary>
    private static async Task<(double RssMb, double CpuPercent)> SampleIdleAsync(int pid, TimeSpan settle)
    {
        // Let start-up (JIT, the engine's lease and queue set-up) or creation work settle, then measure a quiet stretch.
        await Task.Delay(settle);
        double before = CpuSeconds(pid);
        long started = Stopwatch.GetTimestamp();
        await Task.Delay(IdleWindow);
        double cpu = (CpuSeconds(pid) - before) / Stopwatch.GetElapsedTime(started).TotalSeconds * 100;
        return (RssMb(pid), cpu);
    }

    private static double RssMb(int pid)
    {
        string line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    private static double CpuSeconds(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks / 100.0;
    }
}
