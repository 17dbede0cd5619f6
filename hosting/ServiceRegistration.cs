using CodingAgent.Application.Provisioning;
using CodingAgent.Agent;
using CodingAgent.Api;
using CodingAgent.Api.Auth;
using CodingAgent.Api.Idempotency;
using CodingAgent.Api.Streaming;
using CodingAgent.Application;
using CodingAgent.Application.Idempotency;
using CodingAgent.Application.Keys;
using CodingAgent.Application.Notifications;
using CodingAgent.Application.Queue;
using CodingAgent.Application.Requests;
using CodingAgent.Application.Subscriptions;
using CodingAgent.Application.Turns;
using CodingAgent.Application.Webhooks;
using CodingAgent.Gateway;
using CodingAgent.Configuration;
using CodingAgent.Publishing;
using CodingAgent.Publishing.GitHub;
using CodingAgent.Sandboxes;
using CodingAgent.Sandboxes.E2B;
using CodingAgent.Sandboxes.Local;
using CodingAgent.Storage;
using CodingAgent.Validation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace CodingAgent.Hosting;

/// <summary>The one registration of the product's services; both hosts call it.</summary>
public static class ServiceRegistration
{
    public static IServiceCollection AddCodingAgent(this IServiceCollection services, IConfiguration configuration, HostProfile host)
    {
        ArgumentNullException.ThrowIfNull(host);
        string defaultSandboxProvider = host.DefaultSandboxProvider;
        services.AddSingleton<IValidateOptions<CodingAgentOptions>>(
            new CodingAgentOptionsValidator(host, host.MultiTenant ? Path.Combine(AppContext.BaseDirectory, "host.json") : null));
        services.AddOptions<CodingAgentOptions>()
            .Bind(configuration.GetSection(CodingAgentOptions.SectionName))
            .PostConfigure(o =>
            {
                o.Sandbox.Provider ??= defaultSandboxProvider;
                if (string.IsNullOrEmpty(o.Sandbox.Deployment))
                {
                    o.Sandbox.Deployment = SandboxDeploymentName.Derive(o);
                }

                if (!Path.IsPathRooted(o.Agent.OpenCodePath) && o.Agent.OpenCodePath.Contains('/', StringComparison.Ordinal))
                {
                    o.Agent.OpenCodePath = Path.GetFullPath(o.Agent.OpenCodePath);
                }
            })
            .ValidateOnStart();
        services.AddOptionSections();
        services.AddSingleton(TimeProvider.System);

        services.AddSingleton<StorageClients>();
        services.AddSingleton<RunStore>();
        services.AddSingleton<TurnStore>();
        services.AddSingleton<PromptStore>();
        services.AddSingleton<EventLog>();
        services.AddSingleton<EventLogSignals>();
        services.AddSingleton<PatchStore>();
        services.AddSingleton<IdempotencyStore>();
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<AccountStore>();
        services.AddSingleton<SessionSlotStore>();
        services.AddSingleton<ActiveSessionSlots>();
        services.AddSingleton<RunReconciler>();
        services.AddSingleton<RepositoryAccess>();
        services.AddSingleton<SecretProtector>();
        services.AddSingleton<RunSecretStore>();

        services.AddSingleton<LocalSandboxProvider>();
        services.AddE2BHttpClients();
        services.AddSingleton<E2BApiClient>();
        services.AddSingleton<E2BSandboxProvider>();
        services.AddSingleton<SandboxJanitor>();
        // Providers by their configuration name; a host may add its own (the self-host adds the benchmark provider).
        services.AddKeyedSingleton<ISandboxProvider>(SandboxOptions.LocalProvider, (sp, _) => sp.GetRequiredService<LocalSandboxProvider>());
        services.AddKeyedSingleton<ISandboxProvider>(SandboxOptions.E2BProvider, (sp, _) => sp.GetRequiredService<E2BSandboxProvider>());
        services.AddSingleton(sp =>
        {
            string name = sp.GetRequiredService<IOptions<SandboxOptions>>().Value.Provider!;
            return sp.GetKeyedService<ISandboxProvider>(name) ?? throw new OptionsValidationException(nameof(CodingAgentOptions), typeof(CodingAgentOptions),
                [$"CodingAgent:Sandbox:Provider '{name}' is not a provider of this host ('local' or 'e2b'; the self-host also has 'benchmark', for benchmarks only)."]);
        });

        // OpenCode calls are short except the event stream; each call sets its own limit, so no client-wide timeout.
        services.AddHttpClient(AgentConnections.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<OpenCodeLauncher>();
        services.AddSingleton<OpenCodeTurnDriver>();
        services.AddSingleton<AgentConnections>();

        // The model gateway: provider calls can stream for minutes, so no client-wide timeout (OpenCode sets its own).
        services.AddHttpClient(ModelForwarder.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<ModelUsageStore>();
        services.AddSingleton<UsageLedger>();
        services.AddMemoryCache();
        services.AddSingleton<GatewayAuthorizer>();
        services.AddSingleton<ModelForwarder>();

        services.AddSingleton<SessionWindow>();
        services.AddSingleton<TurnValidator>();
        services.AddHttpClient(GitHubApiClient.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .AddStandardResilienceHandler(o => o.Retry.DisableForUnsafeHttpMethods());
        services.AddSingleton<GitHubApiClient>();
        services.AddSingleton<GitHubCredentials>();
        services.AddSingleton<GitHubAccess>();
        services.AddSingleton<GitBranchPublisher>();
        services.AddSingleton<TurnPublisher>();
        services.AddSingleton<PublishRules>();

        services.AddSingleton<RunProgress>();
        services.AddSingleton<TurnSettler>();
        services.AddSingleton<NotificationLedger>();
        services.AddSingleton<RunNotifier>();
        services.AddSingleton<QueueCommandStore>();
        services.AddSingleton<QueueCommandProcessor>();
        services.AddSingleton<WebhookTargets>();
        services.AddSingleton<WebhookSecretStore>();
        services.AddSingleton<DeliveryStore>();
        services.AddSingleton<DeliveryScheduler>();
        services.AddSingleton<DeliverySender>();
        services.AddSingleton<SubscriptionStore>();
        services.AddSingleton<RunSubscriptions>();
        // Callers' URLs: no redirects, and every connection checked against private addresses (names can re-resolve).
        services.AddHttpClient(DeliverySender.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => OutboundHandler.Create(sp.GetRequiredService<WebhookTargets>()));
        services.AddSingleton<SandboxStep>();
        services.AddSingleton<CloneStep>();
        services.AddSingleton<BootstrapStep>();
        services.AddSingleton<AgentStartStep>();
        services.AddSingleton<ProvisioningRunner>();
        services.AddSingleton<RunCommands>();
        services.AddSingleton<RunQueries>();
        services.AddSingleton<UsageQueries>();
        services.AddSingleton<RunLimits>();
        services.AddSingleton<ContinuationContext>();
        services.AddSingleton<ApiKeyService>();
        services.AddSingleton<ApiKeyAuthenticator>();
        services.AddSingleton<CreateRunValidator>();
        services.AddSingleton<PostRequests>();
        services.AddSingleton<RunReads>();
        services.AddSingleton<IdempotentCommands>();
        services.AddSingleton<IdempotencyGuard>();
        services.AddSingleton<RunEventFeed>();
        services.AddSingleton<RunEventStream>();
        services.AddSingleton<StreamAdmission>();
        return services;
    }
}
