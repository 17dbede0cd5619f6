using CodingAgent.Hosting;
using CodingAgent.Hosting.Telemetry;
using CodingAgent.Configuration;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// Azure Functions host: the Functions SDK discovers the [Function] methods; services come from the shared registration.
FunctionsApplicationBuilder builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddCodingAgent(builder.Configuration, HostProfile.Functions);
// The worker's invocation spans continue the host's trace (UseFunctionsWorkerDefaults); the rest is the shared registration.
builder.Services.AddCodingAgentTelemetry(builder.Configuration, HostProfile.Functions, otel => otel.UseFunctionsWorkerDefaults());
// Sandboxes reach the model gateway at the app's own address (App Service sets WEBSITE_HOSTNAME; `func start` sets localhost:7071).
builder.Services.PostConfigure<CodingAgentOptions>(o => o.Model.GatewayUrl ??= FunctionsAddress.Of(Environment.GetEnvironmentVariable("WEBSITE_HOSTNAME")));
builder.Build().Run();
