using CodingAgent.Configuration;
using CodingAgent.Sandboxes.E2B;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CodingAgent.Tests.Support.E2BLoopback;

/// <summary>
/// The product's E2B client (its real HTTP clients and resilience pipelines) in this process, pointed at a loopback E2B
/// server: for tests of one E2B call that need no self-host.
/// </summary>
public sealed class E2BClientHarness : IAsyncDisposable
{
    private readonly ServiceProvider services;

    private E2BClientHarness(E2BLoopbackServer server, ServiceProvider services)
    {
        Server = server;
        this.services = services;
        Options = services.GetRequiredService<IOptions<CodingAgentOptions>>();
        Provider = services.GetRequiredService<E2BSandboxProvider>();
    }

    public E2BLoopbackServer Server { get; }

    public IOptions<CodingAgentOptions> Options { get; }

    public E2BSandboxProvider Provider { get; }

    /// <param name="configure">Registers replacements (e.g. another pipeline for one named client) after the product's.</param>
    public static async Task<E2BClientHarness> StartAsync(Action<IServiceCollection>? configure = null)
    {
        E2BLoopbackServer server = await E2BLoopbackServer.StartAsync();
        CodingAgentOptions options = new();
        options.Sandbox.Provider = SandboxOptions.E2BProvider;
        options.Sandbox.E2B.ApiKey = E2BLoopbackServer.ApiKey;
        options.Sandbox.E2B.ApiUrl = server.BaseUrl.ToString();
        options.Sandbox.E2B.SandboxUrl = server.BaseUrl.ToString();

        ServiceCollection collection = new();
        collection.AddSingleton(Microsoft.Extensions.Options.Options.Create(options));
        collection.AddSingleton(Microsoft.Extensions.Options.Options.Create(options.Sandbox));
        collection.AddSingleton(TimeProvider.System);
        collection.AddE2BHttpClients();
        collection.AddSingleton<E2BApiClient>();
        collection.AddSingleton<E2BSandboxProvider>();
        configure?.Invoke(collection);
        return new E2BClientHarness(server, collection.BuildServiceProvider());
    }

    public async ValueTask DisposeAsync()
    {
        await services.DisposeAsync();
        await Server.DisposeAsync();
    }
}
