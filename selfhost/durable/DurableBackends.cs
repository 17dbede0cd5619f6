using DurableTask.AzureStorage;
using DurableTask.Core;
using CodingAgent.Configuration;
using Microsoft.DurableTask.Testing.Sidecar;

namespace CodingAgent.SelfHost.Durable;

/// <summary>The engine's storage: Azure Storage (the provider Durable Functions uses; Azurite here) or in memory.</summary>
internal static class DurableBackends
{
    public static IOrchestrationService Create(CodingAgentOptions options, ILoggerFactory loggers) => options.Durable.Backend switch
    {
        DurableOptions.MemoryBackend => new InMemoryOrchestrationService(loggers),
        DurableOptions.AzureStorageBackend => new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = options.Durable.TaskHub,
            StorageAccountClientProvider = new StorageAccountClientProvider(options.Storage.ConnectionString),
            LoggerFactory = loggers,
            PartitionCount = 1,
            MaxQueuePollingInterval = TimeSpan.FromMilliseconds(options.Durable.MaxQueuePollingIntervalMilliseconds),
            WorkItemQueueVisibilityTimeout = TimeSpan.FromSeconds(options.Durable.WorkItemVisibilityTimeoutSeconds),
            ControlQueueVisibilityTimeout = TimeSpan.FromSeconds(options.Durable.WorkItemVisibilityTimeoutSeconds),
            ExtendedSessionsEnabled = options.Durable.ExtendedSessionIdleTimeoutSeconds > 0,
            ExtendedSessionIdleTimeout = TimeSpan.FromSeconds(Math.Max(1, options.Durable.ExtendedSessionIdleTimeoutSeconds)),
        }),
        var other => throw new InvalidOperationException($"CodingAgent:Durable:Backend '{other}' is not 'azurestorage' or 'memory'."),
    };
}
