using System.Text.Json.Nodes;
using CodingAgent.Json;
using CodingAgent.Api.Contracts;
using CodingAgent.Functions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CodingAgent.Tests.OpenApi;

/// <summary>The endpoint serves the document with the answering host as its server; problem documents match their schema.</summary>
public sealed class OpenApiFunctionTests
{
    [Fact]
    public async Task OpenApi_ServesTheDocumentWithTheRequestsHostAsServer()
    {
        DefaultHttpContext context = NewContext();
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("agents.example.com");

        await new OpenApiFunction().OpenApi(context.Request).ExecuteAsync(context);

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        JsonObject document = ReadBody(context).AsObject();
        Assert.Equal("https://agents.example.com", (string)document["servers"]![0]!["url"]!);
        Assert.NotNull(document["paths"]!["/api/v1/coding-agent/openapi.json"]!["get"]);
    }

    // ProblemDocument documents what Problems.Create writes: every member written is a documented one.
    [Fact]
    public async Task ProblemDocument_HasEveryMemberProblemsWrite()
    {
        DefaultHttpContext context = NewContext();
        context.Request.Path = "/api/v1/coding-agent/runs";
        await Api.Problems.InvalidRequest(context, new Dictionary<string, string[]> { ["prompt"] = ["Required."] }).ExecuteAsync(context);

        JsonObject written = ReadBody(context).AsObject();
        HashSet<string> documented = [.. typeof(ProblemDocument).GetProperties().Select(p => JsonDefaults.Options.PropertyNamingPolicy!.ConvertName(p.Name))];
        Assert.Equal(documented.Order(StringComparer.Ordinal), written.Select(m => m.Key).Order(StringComparer.Ordinal));
    }

    private static DefaultHttpContext NewContext() => new()
    {
        RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider(),
        Response = { Body = new MemoryStream() },
    };

    private static JsonNode ReadBody(HttpContext context)
    {
        context.Response.Body.Position = 0;
        return JsonNode.Parse(context.Response.Body)!;
    }
}
