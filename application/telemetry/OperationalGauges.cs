using System.Diagnostics.Metrics;
using Azure.Storage.Queues;
using CodingAgent.Configuration;
using CodingAgent.Model;
using CodingAgent.Storage;
using CodingAgent.Telemetry;
using Microsoft.Extensions.Options;

namespace CodingAgent.Application.Telemetry;

/// <summary>
/// Deployment-wide gauges — warm sessions (running or idle) and the command queue's depth — sampled from storage on an
/// interval, so every instance reports the same figures (chart their maximum, not their sum).
/// </summary>
public sealed class OperationalGauges
{
    private readonly RunStore runs;
    private readonly StorageClients storage;
    private readonly QueueOptions queue;
    private volatile Sample latest = new(0, 0, 0, 0);

    public OperationalGauges(RunStore runs, StorageClients storage, IOptions<QueueOptions> queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        this.runs = runs;
        this.storage = storage;
        this.queue = queue.Value;
        AgentTelemetry.Meter.CreateObservableGauge("coding_agent.sessions", () => new[]
        {
            new Measurement<int>(latest.Running, new KeyValuePair<string, object?>("state", RunStatuses.Running)),
            new Measurement<int>(latest.Idle, new KeyValuePair<string, object?>("state", RunStatuses.Idle)),
        }, "{session}", "Runs holding a warm sandbox, running a turn or idle.");
        AgentTelemetry.Meter.CreateObservableGauge("coding_agent.command_queue.depth", () => new[]
        {
            new Measurement<int>(latest.Commands, new KeyValuePair<string, object?>("queue", "commands")),
            new Measurement<int>(latest.Poison, new KeyValuePair<string, object?>("queue", "poison")),
        }, "{message}", "Approximate messages waiting in the command queue and its poison queue.");
    }

    public async Task SampleAsync(CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, int> sessions = await runs.CountActiveSessionsAsync(cancellationToken).ConfigureAwait(false);
        int running = sessions.GetValueOrDefault(RunStatuses.Running) + sessions.GetValueOrDefault(RunStatuses.Provisioning);
        int idle = sessions.GetValueOrDefault(RunStatuses.Idle);
        latest = new Sample(running, idle, await DepthAsync(queue.Name, cancellationToken).ConfigureAwait(false),
            await DepthAsync(queue.PoisonName, cancellationToken).ConfigureAwait(false));
    }

    private async Task<int> DepthAsync(string name, CancellationToken cancellationToken)
    {
        QueueClient client = await storage.QueueAsync(name, cancellationToken).ConfigureAwait(false);
        return (await client.GetPropertiesAsync(cancellationToken).ConfigureAwait(false)).Value.ApproximateMessagesCount;
    }

    private sealed record Sample(int Running, int Idle, int Commands, int Poison);
}
