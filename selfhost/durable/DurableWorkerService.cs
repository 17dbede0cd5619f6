using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;

namespace CodingAgent.SelfHost.Durable;

/// <summary>
/// Runs the registered orchestrators and activities on the Durable Task Framework's own dispatcher, through the SDK's
/// shim factory (docs/architecture.md, "The self-host's durable engine").
/// </summary>
internal sealed class DurableWorkerService(
    IOrchestrationService backend, DurableTaskRegistry registry, IServiceProvider services, ILoggerFactory loggers) : IHostedService
{
    private TaskHubWorker? worker;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await backend.CreateIfNotExistsAsync().ConfigureAwait(false);
        DurableTaskShimFactory shims = new(new DurableTaskWorkerOptions(), loggers);
        Dictionary<string, Func<IServiceProvider, ITaskOrchestrator>> orchestrators = registry.GetOrchestrators()
            .ToDictionary(kv => kv.Key.Name, kv => kv.Value, StringComparer.OrdinalIgnoreCase);
        Dictionary<string, Func<IServiceProvider, ITaskActivity>> activities = registry.GetActivities()
            .ToDictionary(kv => kv.Key.Name, kv => kv.Value, StringComparer.OrdinalIgnoreCase);
        worker = new TaskHubWorker(
            backend,
            new ShimObjectManager<TaskOrchestration>(name => orchestrators.TryGetValue(name, out var create) ? shims.CreateOrchestration(name, create(services), parent: null) : null),
            new ShimObjectManager<TaskActivity>(name => activities.TryGetValue(name, out var create) ? shims.CreateActivity(name, create(services)) : null),
            loggers)
        {
            // The SDK expects TaskFailedException to carry FailureDetails.
            ErrorPropagationMode = ErrorPropagationMode.UseFailureDetails,
        };
        await worker.StartAsync().ConfigureAwait(false);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (worker is not null)
        {
            await worker.StopAsync(isForced: true).ConfigureAwait(false);
        }
    }

    /// <summary>DTFx asks for a fresh object per execution; the SDK shim is created on demand.</summary>
    private sealed class ShimObjectManager<T>(Func<string, T?> create) : INameVersionObjectManager<T>
    {
        public void Add(ObjectCreator<T> creator) => throw new NotSupportedException();

        public T? GetObject(string name, string? version) => create(name);
    }
}
