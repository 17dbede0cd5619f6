using CodingAgent.SelfHost;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace CodingAgent.Tests.Support;

/// <summary>
/// The self-host built in this test process, configured with the same settings a <see cref="SelfHostProcess"/> gets
/// (as command-line configuration), for tests that must look inside it — e.g. at the telemetry it produces.
/// </summary>
public sealed class InProcessSelfHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private InProcessSelfHost(WebApplication app, Uri baseUrl)
    {
        this.app = app;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public IServiceProvider Services => app.Services;

    public static async Task<InProcessSelfHost> StartAsync(IReadOnlyDictionary<string, string> settings, Action<IServiceCollection> configureServices)
    {
        Uri baseUrl = new($"http://127.0.0.1:{FreePort.Next()}/");
        string[] args = [.. settings.Where(s => s.Key.StartsWith("CodingAgent__", StringComparison.Ordinal) || s.Key.StartsWith("Logging__", StringComparison.Ordinal))
            .Select(s => $"--{s.Key.Replace("__", ":", StringComparison.Ordinal)}={s.Value}"), $"--urls={baseUrl.ToString().TrimEnd('/')}"];
        WebApplication app = SelfHostApplication.Build(args, configureServices);
        await app.StartAsync();
        return new InProcessSelfHost(app, baseUrl);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
