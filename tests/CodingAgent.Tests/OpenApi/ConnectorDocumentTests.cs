using System.Text.Json;
using System.Text.Json.Nodes;
using CodingAgent.Api.OpenApi;
using CodingAgent.Hosting;
using CodingAgent.Tests.Support;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace CodingAgent.Tests.OpenApi;

/// <summary>The Logic Apps custom connector: valid Swagger 2.0, every operation of the OpenAPI 3.1 document, committed as generated.</summary>
public sealed class ConnectorDocumentTests
{
    private static readonly JsonObject OpenApi3 = OpenApiDocumentBuilder.Build(FunctionCatalog.HttpFunctions(typeof(CodingAgent.Functions.HealthFunction).Assembly));
    private static readonly JsonObject Connector = ConnectorDocumentBuilder.Build(OpenApi3, ConnectorDocumentBuilder.PlaceholderHost);
    private static readonly string CommittedPath = Path.Combine(RepoRoot.Path, "infra", "logicapps", "connector.swagger.json");

    [Fact]
    public void Connector_ReadsBackAsSwagger20_WithoutErrors()
    {
        ReadResult read = OpenApiDocument.Parse(Connector.ToJsonString(), "json", new OpenApiReaderSettings());

        Assert.Equal(OpenApiSpecVersion.OpenApi2_0, read.Diagnostic!.SpecificationVersion);
        Assert.Empty(read.Diagnostic.Errors.Select(e => $"{e.Pointer}: {e.Message}"));
        Assert.NotNull(read.Document);
    }

    [Fact]
    public void TheValidator_RefusesABrokenCopy()
    {
        JsonObject broken = (JsonObject)Connector.DeepClone();
        broken.Remove("info");
        broken["paths"]!.AsObject().First().Value!.AsObject().First().Value!["responses"] = "none";

        ReadResult read = OpenApiDocument.Parse(broken.ToJsonString(), "json", new OpenApiReaderSettings());

        Assert.NotEmpty(read.Diagnostic!.Errors);
    }

    [Fact]
    public void Connector_HasEveryOperationOfTheOpenApi3Document_AndTheWebhookTrigger()
    {
        IEnumerable<string> Ids(JsonObject document) => document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(o => (string)o.Value!["operationId"]!)).Order(StringComparer.Ordinal);

        Assert.Equal(Ids(OpenApi3), Ids(Connector));
        JsonObject subscribe = Connector["paths"]!["/api/v1/coding-agent/runs/{runId}/subscriptions"]!["post"]!.AsObject();
        Assert.Equal("single", (string)subscribe["x-ms-trigger"]!);
        JsonNode callback = subscribe["parameters"]!.AsArray().Single(p => (string)p!["in"]! == "body")!["schema"]!["properties"]!["callbackUrl"]!;
        Assert.True((bool)callback["x-ms-notification-url"]!);
        Assert.All(Connector["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject()), o =>
            Assert.Contains((string)o.Value!["x-ms-visibility"]!, new[] { "important", "advanced", "internal" }));
    }

    [Fact]
    public void CommittedConnector_IsTheGeneratedOne()
    {
        string generated = Connector.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

        Assert.True(File.Exists(CommittedPath) && File.ReadAllText(CommittedPath).Trim() == generated.Trim(),
            "infra/logicapps/connector.swagger.json is not what the API generates; regenerate it: "
            + "dotnet selfhost/bin/Debug/net10.0/CodingAgent.SelfHost.dll connector > infra/logicapps/connector.swagger.json");
    }
}
