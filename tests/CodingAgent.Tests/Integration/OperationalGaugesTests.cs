using System.Diagnostics.Metrics;
using Azure.Storage.Queues;
using CodingAgent.Application.Telemetry;
using CodingAgent.Configuration;
using CodingAgent.Model;
using CodingAgent.Storage;
using CodingAgent.Tests.Support;
using Microsoft.Extensions.Options;

namespace CodingAgent.Tests.Integration;

/// <summary>The deployment-wide gauges read what storage holds: warm sessions by state, and the command queues' depth.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class OperationalGaugesTests(TestEnvironment environment)
{
    [Fact]
    public async Task Sample_CountsWarmSessionsByState_AndTheCommandQueues()
    {
        string prefix = "og" + Guid.NewGuid().ToString("N")[..10];
        StorageClients clients = new(Options.Create(new StorageOptions { ConnectionString = environment.StorageConnectionString, NamePrefix = prefix }));
        RunStore runs = new(clients);
        DateTimeOffset at = TimeProvider.System.GetUtcNow();
        await runs.InsertAsync(TestRuns.Record("a", "run_1", RunStatuses.Idle, at) with { SessionActive = true }, CancellationToken.None);
        await runs.InsertAsync(TestRuns.Record("a", "run_2", RunStatuses.Idle, at) with { SessionActive = true }, CancellationToken.None);
        await runs.InsertAsync(TestRuns.Record("b", "run_3", RunStatuses.Running, at) with { SessionActive = true }, CancellationToken.None);
        await runs.InsertAsync(TestRuns.Record("b", "run_4", RunStatuses.Completed, at), CancellationToken.None);
        QueueOptions queue = new() { Name = prefix + "-commands" };
        QueueClient commands = new(environment.StorageConnectionString, queue.Name);
        await commands.CreateIfNotExistsAsync();
        await commands.SendMessageAsync("e30=");
        await commands.SendMessageAsync("e30=");
        QueueClient poison = new(environment.StorageConnectionString, queue.PoisonName);
        await poison.CreateIfNotExistsAsync();
        await poison.SendMessageAsync("e30=");

        OperationalGauges gauges = new(runs, clients, Options.Create(queue));
        await gauges.SampleAsync(CancellationToken.None);

        Dictionary<string, int> observed = Observe();
        Assert.Equal(1, observed["coding_agent.sessions/running"]);
        Assert.Equal(2, observed["coding_agent.sessions/idle"]);
        Assert.Equal(2, observed["coding_agent.command_queue.depth/commands"]);
        Assert.Equal(1, observed["coding_agent.command_queue.depth/poison"]);
    }

    private static Dictionary<string, int> Observe()
    {
        Dictionary<string, int> observed = [];
        using MeterListener listener = new();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == Telemetry.AgentTelemetry.Name && instrument.Name is "coding_agent.sessions" or "coding_agent.command_queue.depth")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) =>
            observed[$"{instrument.Name}/{tags[0].Value}"] = value);
        listener.Start();
        listener.RecordObservableInstruments();
        return observed;
    }
}
