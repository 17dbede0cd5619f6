using CodingAgent.Api.OpenApi;
using CodingAgent.Hosting;
using CodingAgent.Configuration;
using CodingAgent.SelfHost;
using CodingAgent.SelfHost.Cli;
using CodingAgent.SelfHost.Durable;
using CodingAgent.SelfHost.Http;
using CodingAgent.SelfHost.Jobs;
using CodingAgent.SelfHost.Security;
using CodingAgent.Sandboxes.Benchmark;

if (args.Length > 0 && args[0] == KeysCommand.Verb)
{
    return await KeysCommand.RunAsync(args[1..]).ConfigureAwait(false);
}

if (args.Length > 0 && args[0] == "connector")
{
    // The committed connector (infra/logicapps/connector.swagger.json) is this output.
    Console.WriteLine(ConnectorDocumentBuilder.Build(
        OpenApiDocumentBuilder.Build(FunctionCatalog.HttpFunctions(typeof(Program).Assembly)), ConnectorDocumentBuilder.PlaceholderHost)
        .ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    return 0;
}

if (args.Length > 0 && args[0] == AccountsCommand.Verb)
{
    return await AccountsCommand.RunAsync(args[1..]).ConfigureAwait(false);
}

// The self-host: the Functions app's HTTP functions, orchestrator and activities, on ASP.NET Core and an embedded
// Durable Task engine. Same configuration keys, same routes, same port as `func start`.
WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
IReadOnlyList<FunctionEntry> functions = FunctionCatalog.Discover(typeof(Program).Assembly);
builder.Services.AddCodingAgent(builder.Configuration, HostProfile.SelfHost);
builder.Services.AddBenchmarkSandboxes();
string localBaseUrl = KestrelUrls.LocalBaseUrl(builder);
builder.Services.PostConfigure<CodingAgentOptions>(o => o.Model.GatewayUrl ??= localBaseUrl);
builder.Services.AddProblemDetails();
builder.AddDurableSelfHost(functions);
builder.Services.AddHostedService<SandboxJanitorService>();
builder.Services.AddHostedService<QueueCommandConsumer>();
builder.ListenOnConfiguredUrls();

WebApplication app = builder.Build();
// Configuration is read: the secrets' copies in the initial environment block (what /proc/<pid>/environ shows) go.
InitialEnvironmentScrub.Run();
app.UseExceptionHandler(error => error.Run(InternalErrors.WriteAsync));
app.UseStatusCodePages(EmptyErrorAnswers.WriteAsync);
app.MapDurableSelfHost();
app.MapHttpFunctions(functions);
await app.RunAsync().ConfigureAwait(false);
return 0;
