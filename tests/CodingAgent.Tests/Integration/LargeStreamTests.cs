using Stopwatch = System.Diagnostics.Stopwatch;
using System.Text.Json.Nodes;
using CodingAgent.Application;
using CodingAgent.Model;
using CodingAgent.Configuration;
using CodingAgent.Storage;
using CodingAgent.Tests.Support;
using Microsoft.Extensions.Options;

namespace CodingAgent.Tests.Integration;

/// <summary>
/// A 10,000-event log replays completely and in order across the stream's storage pages. The replay rate is reported
/// (not asserted) for the record.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class LargeStreamTests(TestEnvironment environment, Xunit.Abstractions.ITestOutputHelper output)
{
    private const int EventCount = 10_000;

    [Fact]
    public async Task Stream_TenThousandStoredEvents_ReplaysEveryOneInOrderThenEnds()
    {
        StorageClients clients = new(Options.Create(new StorageOptions { ConnectionString = environment.StorageConnectionString, NamePrefix = environment.NamePrefix }));
        string runId = await SeededRun.CreateAsync(clients, "bulk", EventCount);

        await using SelfHostProcess host = await SelfHostProcess.StartAsync(environment.Environment());
        using ApiClient api = new(host.BaseUrl, await environment.CreateKeyAsync("bulk"));
        List<long> ids = new(EventCount);
        Stopwatch replay = Stopwatch.StartNew();
        using (HttpResponseMessage response = await api.OpenStreamAsync(runId))
        {
            await using Stream body = await response.Content.ReadAsStreamAsync();
            await foreach (SseMessage message in SseReader.ReadAsync(body))
            {
                if (!message.IsComment)
                {
                    ids.Add(long.Parse(message.Id!));
                }
            }
        }

        replay.Stop();
        Assert.Equal(Enumerable.Range(1, EventCount).Select(i => (long)i), ids);
        output.WriteLine($"replayed {EventCount} events in {replay.ElapsedMilliseconds} ms = {EventCount / replay.Elapsed.TotalSeconds:0} events/s");
    }
}
