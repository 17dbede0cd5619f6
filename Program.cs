using CodingAgent.Hosting;
using CodingAgent.Hosting.Telemetry;
using CodingAgent.Configuration;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// Azure Functions host: the Functions SDK discovers the [Function] methods; services come from the shared registration.
// `check-startup`: build the host exactly as below, validate and resolve, exit (hosting/StartupCheck.cs; the tests run it).
bool checkOnly = args.Length > 0 && args[0] == StartupCheck.Verb;
FunctionsApplicationBuilder builder = FunctionsApplication.CreateBuilder(checkOnly ? args[1..] : args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddCodingAgent(builder.Configuration, HostProfile.Functions);
// The worker's invocation spans continue the host's trace (UseFunctionsWorkerDefaults); the rest is the shared registration.
builder.Services.AddCodingAgentTelemetry(builder.Configuration, HostProfile.Functions, otel => otel.UseFunctionsWorkerDefaults());
// Sandboxes reach the model gateway at the app's own address (App Service sets WEBSITE_HOSTNAME; `func start` sets localhost:7071).
builder.Services.PostConfigure<CodingAgentOptions>(o => o.Model.GatewayUrl ??= FunctionsAddress.Of(Environment.GetEnvironmentVariable("WEBSITE_HOSTNAME")));
IHost app = builder.Build();
if (checkOnly)
{
    return StartupCheck.Run(app, builder.Services, typeof(CodingAgent.Functions.HealthFunction).Assembly, Console.Out);
}

app.Run();
return 0;
