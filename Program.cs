using CodingAgent.Hosting;
using CodingAgent.Hosting.Options;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

// Azure Functions host: the Functions SDK discovers the [Function] methods; services come from the shared registration.
FunctionsApplicationBuilder builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddCodingAgent(builder.Configuration, SandboxOptions.E2BProvider);
builder.Build().Run();
