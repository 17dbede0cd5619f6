using System.Diagnostics;
using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using CodingAgent.Bench.Harness;
using CodingAgent.Configuration;
using CodingAgent.Model;
using CodingAgent.Storage;
using CodingAgent.Tests.Support;
using Microsoft.Extensions.Options;

namespace CodingAgent.Bench.Figures;

/// <summary>
/// Q1: how fast the queue door turns <c>run.create</c> messages into queued runs — from the first message put on the
/// queue to the last run created — against the queue itself in the same run: the same messages put, received in
/// batches of 16 and deleted, with nothing done in between. Runs use the benchmark sandbox provider, so the runs they
/// start cost the durable engine and storage but no OpenCode process.
/// </summary>
public static class QueueThroughput
{
    private const int Messages = 200;
    private const string Account = "queuebench";

    public static async Task<Figure> MeasureAsync(BenchEnvironment environment, string backend)
    {
        string namePrefix = "q" + backend[..3] + environment.NamePrefix[1..];
        Dictionary<string, string> settings = environment.Settings(backend, sandboxProvider: "benchmark", namePrefix: namePrefix);
        settings["CodingAgent__Limits__RunCreationsPerMinute"] = "100000";
        settings["CodingAgent__Limits__ActiveSessionsPerAccount"] = "100000";
        using TestRepository repo = TestRepository.Create();
        string[] bodies = [.. Enumerable.Range(0, Messages).Select(i => JsonSerializer.Serialize(new
        {
            type = "run.create",
            account = Account,
            idempotencyKey = $"bench-{i}",
            run = new { repository = repo.Path, prompt = $"say Queued {i}.", modelId = "scripted/model" },
        }))];

        double floor = await FloorAsync(environment, bodies);
        await using SelfHostProcess host = await SelfHostProcess.StartAsync(settings);
        QueueClient commands = new(environment.StorageConnectionString, settings["CodingAgent__Queue__Name"], new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await commands.CreateIfNotExistsAsync();
        QueueCommandStore records = new(new StorageClients(Options.Create(new StorageOptions { ConnectionString = environment.StorageConnectionString, NamePrefix = namePrefix })));

        long started = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(bodies, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (body, token) => await commands.SendMessageAsync(body, token));
        using CancellationTokenSource limit = new(TimeSpan.FromMinutes(5));
        IReadOnlyList<QueueCommandRecord> done;
        while ((done = await records.ListAsync(Account, limit.Token)).Count < Messages)
        {
            await Task.Delay(50, limit.Token);
        }

        double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        double ours = Messages / seconds;
        int accepted = done.Count(r => r.Outcome == QueueCommandOutcomes.Accepted);
        return new Figure("Q1", "queue door: run.create messages → queued runs, per second", backend,
            $"{ours:0.0} messages/s ({Messages} in {seconds:0.0} s)", $"{floor:0.0} messages/s put, received and deleted", ours / floor, "≥ 10 messages/s", ours >= 10,
            [$"{accepted} of {Messages} accepted; one self-host, batches of 16 handled at once (CodingAgent__Queue__BatchSize)",
             "each message: strict JSON, create validation, an idempotency key reserved and answered, a session slot, the run, its first turn and prompt, the orchestration scheduled",
             "baseline: the same messages through the same Azurite queue with the SDK alone (put 16 at a time, receive 16, delete)"]);
    }

    private static async Task<double> FloorAsync(BenchEnvironment environment, string[] bodies)
    {
        QueueClient queue = new(environment.StorageConnectionString, "floor-" + Guid.NewGuid().ToString("N")[..12], new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await queue.CreateAsync();
        long started = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(bodies, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (body, token) => await queue.SendMessageAsync(body, token));
        int taken = 0;
        while (taken < bodies.Length)
        {
            QueueMessage[] batch = (await queue.ReceiveMessagesAsync(16)).Value;
            await Task.WhenAll(batch.Select(m => queue.DeleteMessageAsync(m.MessageId, m.PopReceipt)));
            taken += batch.Length;
        }

        double rate = bodies.Length / Stopwatch.GetElapsedTime(started).TotalSeconds;
        await queue.DeleteAsync();
        return rate;
    }
}
