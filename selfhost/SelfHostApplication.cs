using CodingAgent.Configuration;
using CodingAgent.Hosting;
using CodingAgent.Hosting.Telemetry;
using CodingAgent.Sandboxes.Benchmark;
using CodingAgent.SelfHost.Durable;
using CodingAgent.SelfHost.Http;
using CodingAgent.SelfHost.Jobs;

namespace CodingAgent.SelfHost;

/// <summary>
/// The self-host: the Functions app's HTTP functions, orchestrator and activities, on ASP.NET Core and an embedded
/// Durable Task engine. Same configuration keys, same routes, same port as <c>func start</c>.
/// </summary>
public static class SelfHostApplication
{
    /// <param name="configureServices">Runs after the product's registrations (tests add an in-memory telemetry exporter).</param>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
        IReadOnlyList<FunctionEntry> functions = FunctionCatalog.Discover(typeof(SelfHostApplication).Assembly);
        builder.Services.AddCodingAgent(builder.Configuration, HostProfile.SelfHost);
        builder.Services.AddCodingAgentTelemetry(builder.Configuration, HostProfile.SelfHost);
        builder.Services.AddBenchmarkSandboxes();
        string localBaseUrl = KestrelUrls.LocalBaseUrl(builder);
        builder.Services.PostConfigure<CodingAgentOptions>(o => o.Model.GatewayUrl ??= localBaseUrl);
        builder.Services.AddProblemDetails();
        builder.AddDurableSelfHost(functions);
        builder.Services.AddHostedService<SandboxJanitorService>();
        builder.Services.AddHostedService<QueueCommandConsumer>();
        builder.ListenOnConfiguredUrls();
        configureServices?.Invoke(builder.Services);

        WebApplication app = builder.Build();
        app.UseExceptionHandler(error => error.Run(InternalErrors.WriteAsync));
        app.UseStatusCodePages(EmptyErrorAnswers.WriteAsync);
        app.MapDurableSelfHost();
        app.MapHttpFunctions(functions);
        return app;
    }
}
